#!/usr/bin/env bash
# Makes a fresh clone runnable: installs npm dependencies when package-lock.json changed since the last
# install, and with --test the Debian packages the test suite uses. Run by `npm start` / `npm test`
# (their pre-scripts) and by CI, so the README's two commands work on a fresh Debian machine.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test_packages=0
[ "${1:-}" = "--test" ] && want_test_packages=1

if [ "$want_test_packages" = 1 ]; then
  # Chromium drives the end-to-end tests; dcm2niix, dcmtk and gdcm are imaging oracles and transcoders;
  # pydicom, nibabel and torch are reference implementations; mricron-data has a real brain volume.
  pkgs=(chromium dcm2niix dcmtk libgdcm-tools python3 python3-numpy python3-pydicom python3-nibabel
        python3-torch mricron-data)
  missing=()
  for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "setup: installing Debian packages: ${missing[*]}"
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -q
    $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
fi

# The Electron binary and onnxruntime's CUDA libraries come from outside the npm registry; skip them
# unless asked (VOXELBASE_FULL_INSTALL=1 on a machine with internet gets both).
if [ "${VOXELBASE_FULL_INSTALL:-0}" != 1 ]; then
  export ELECTRON_SKIP_BINARY_DOWNLOAD="${ELECTRON_SKIP_BINARY_DOWNLOAD:-1}"
  export ONNXRUNTIME_NODE_INSTALL="${ONNXRUNTIME_NODE_INSTALL:-skip}"
fi
stamp=node_modules/.voxelbase-lock.sha256
current=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$current" ]; then
  echo "setup: installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund
  echo "$current" > "$stamp"
fi
