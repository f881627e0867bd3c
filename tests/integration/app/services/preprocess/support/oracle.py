#!/usr/bin/python3
"""Independent oracle for the preprocessing tests (Debian's /usr/bin/python3: numpy, scipy, nibabel).

  oracle.py IN.nii[.gz] OUT_PREFIX SPACING [--ct LOW HIGH] [--percentiles LOW HIGH] [--no-antialias]

Reads IN with nibabel (first volume of a 4-D file, scl applied), and
  1. anti-aliases with scipy.ndimage.gaussian_filter(mode='nearest', truncate=4) and per-axis
     sigma = max(0, (SPACING / zoom - 1) / 2) (scikit-image's resize rule),
  2. resamples with nibabel.processing.resample_to_output(voxel_sizes=SPACING, order=1, cval=nan),
  3. computes the intensity statistics and the foreground box as Voxelbase documents them
     (app/services/preprocess/intensity.ts, foreground-box.ts) with numpy,
and writes OUT_PREFIX.resampled.f32 (the resampled grid, x fastest), OUT_PREFIX.final.f32 (normalised values
of the foreground box, x fastest) and OUT_PREFIX.json (dims, affines, statistics, box).
"""
import json
import sys

import nibabel as nib
import numpy as np
import scipy.ndimage as ndi
from nibabel.processing import resample_to_output


def main():
    args = sys.argv[1:]
    src, out, spacing = args[0], args[1], float(args[2])
    ct = None
    pct = (0.5, 99.5)
    antialias = True
    i = 3
    while i < len(args):
        if args[i] == '--ct':
            ct = (float(args[i + 1]), float(args[i + 2]))
            i += 3
        elif args[i] == '--percentiles':
            pct = (float(args[i + 1]), float(args[i + 2]))
            i += 3
        elif args[i] == '--no-antialias':
            antialias = False
            i += 1
        else:
            raise SystemExit(f'unknown argument {args[i]}')
    img = nib.load(src)
    data = img.get_fdata(dtype=np.float64)
    if data.ndim == 4:
        data = data[..., 0]
    zooms = np.array(img.header.get_zooms()[:3], dtype=float)
    # voxel sizes from the affine (what resampling sees), as Voxelbase does
    zooms = np.sqrt((img.affine[:3, :3] ** 2).sum(axis=0))
    sigma = np.maximum(0, (spacing / zooms - 1) / 2) if antialias else np.zeros(3)
    if np.any(sigma > 0):
        data = ndi.gaussian_filter(data, sigma, mode='nearest', truncate=4.0)
    res = resample_to_output(nib.Nifti1Image(data, img.affine), voxel_sizes=spacing, order=1, cval=np.nan)
    r = np.asarray(res.dataobj, dtype=np.float64)
    fin = r[np.isfinite(r)]
    if ct is not None:
        low, high = ct
        threshold = -500.0
        shift, divisor = low, high - low
        fg_count = int((fin > threshold).sum())
    else:
        p2, p98 = np.percentile(fin, [2, 98])
        threshold = p2 + 0.1 * (p98 - p2)
        fg = fin[fin > threshold]
        fg_count = int(fg.size)
        if fg.size == 0:
            fg = fin
        low, high = np.percentile(fg, pct)
        c = np.clip(fg, low, high)
        shift, divisor = float(c.mean()), float(c.std())
    mask = np.isfinite(r) & (np.nan_to_num(r, nan=-np.inf) > threshold)
    start, size = [], []
    for axis in range(3):
        other = tuple(a for a in range(3) if a != axis)
        counts = mask.sum(axis=other)
        area = mask.size / mask.shape[axis]
        keep = np.nonzero(counts >= max(1.0, 0.002 * area))[0]
        if keep.size == 0:
            start.append(0)
            size.append(mask.shape[axis])
        else:
            start.append(int(keep[0]))
            size.append(int(keep[-1] - keep[0] + 1))
    norm = (np.clip(r, low, high) - shift) / divisor
    norm[~np.isfinite(r)] = (low - shift) / divisor
    box = norm[start[0]:start[0] + size[0], start[1]:start[1] + size[1], start[2]:start[2] + size[2]]
    r.astype('<f4').ravel(order='F').tofile(out + '.resampled.f32')
    box.astype('<f4').ravel(order='F').tofile(out + '.final.f32')
    with open(out + '.json', 'w') as f:
        json.dump({
            'grid_dims': list(r.shape), 'grid_affine': res.affine.tolist(), 'sigma': sigma.tolist(),
            'low': float(low), 'high': float(high), 'shift': float(shift), 'divisor': float(divisor),
            'threshold': float(threshold), 'foreground_voxels': fg_count, 'fov_voxels': int(fin.size),
            'box_start': start, 'box_size': size,
        }, f)


main()
