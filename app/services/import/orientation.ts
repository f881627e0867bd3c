// Axis codes of a voxel-to-RAS affine ("RAS", "LPS", "LAI" ...): for each voxel axis, the world axis it
// runs closest to and the direction it points. Same rule as nibabel's aff2axcodes (io_orientation).
// Also: whether the affine is oblique (a voxel axis off the world axes by more than `tolDeg`).

export function axisCodes(affine: readonly (readonly number[])[]): string {
  const pos = ['R', 'A', 'S'];
  const neg = ['L', 'P', 'I'];
  const used = new Set<number>();
  let out = '';
  for (let j = 0; j < 3; j++) {
    let best = -1;
    let bestAbs = -1;
    for (let i = 0; i < 3; i++) {
      if (used.has(i)) continue;
      const a = Math.abs(affine[i][j]);
      if (a > bestAbs) {
        bestAbs = a;
        best = i;
      }
    }
    if (best < 0 || bestAbs === 0) return '';
    used.add(best);
    out += affine[best][j] >= 0 ? pos[best] : neg[best];
  }
  return out;
}

export function isOblique(affine: readonly (readonly number[])[], tolDeg = 0.5): boolean {
  const cosTol = Math.cos((tolDeg * Math.PI) / 180);
  for (let j = 0; j < 3; j++) {
    const c = [affine[0][j], affine[1][j], affine[2][j]];
    const n = Math.hypot(c[0], c[1], c[2]);
    if (n === 0) return false;
    if (Math.max(Math.abs(c[0]), Math.abs(c[1]), Math.abs(c[2])) / n < cosTol) return true;
  }
  return false;
}
