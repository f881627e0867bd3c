// Orders the 2-D images of one stack: by the projection of ImagePositionPatient on the slice normal
// (normal = row cosines x column cosines, PS3.3 C.7.6.2.1.1), ascending, as dcm2niix's output has the
// slice axis pointing along +normal. Images sharing a position form the 4th dimension (volumes),
// ordered by temporal position / acquisition time / instance number.
import type { Orientation6, SliceRef, Vec3 } from '../types.js';
import { cross, dot } from './geometry.js';

export interface StackImage {
  ref: SliceRef;
  /** Secondary order inside one position (time / instance / frame). */
  order: number[];
}

export interface SortedStack {
  /** Volume order: slice index fastest, then volume index. */
  slices: SliceRef[];
  nSlices: number;
  nVolumes: number;
  /** Projections on the normal of the distinct positions (ascending), one per slice. */
  projections: number[];
  /** Distinct positions, one per slice. */
  positions: (Vec3 | null)[];
  /** Number of images at each position differs (cannot form a regular 4-D array). */
  irregular: boolean;
  /** Not every position has the same number of images; then only the first volume's positions are used. */
  duplicatePositions: boolean;
}

export function sliceNormal(o: Orientation6): Vec3 {
  return cross([o[0], o[1], o[2]], [o[3], o[4], o[5]]);
}

function compareOrder(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Position tolerance (mm along the normal) under which two images are at the same slice location. */
const SAME_POSITION_MM = 0.01;

export function sortStack(images: StackImage[], orientation: Orientation6 | null): SortedStack {
  const haveGeometry = orientation !== null && images.every((im) => im.ref.position !== null);
  if (!haveGeometry) {
    const sorted = [...images].sort((a, b) => compareOrder(a.order, b.order));
    return {
      slices: sorted.map((s) => s.ref),
      nSlices: sorted.length,
      nVolumes: 1,
      projections: sorted.map((_, i) => i),
      positions: sorted.map((s) => s.ref.position),
      irregular: false,
      duplicatePositions: false,
    };
  }
  const n = sliceNormal(orientation);
  const withProj = images.map((im) => ({ im, p: dot(im.ref.position as Vec3, n) }));
  withProj.sort((a, b) => a.p - b.p || compareOrder(a.im.order, b.im.order));
  // Group equal positions.
  const groups: { p: number; items: StackImage[] }[] = [];
  for (const { im, p } of withProj) {
    const last = groups[groups.length - 1];
    if (last && Math.abs(p - last.p) <= SAME_POSITION_MM) last.items.push(im);
    else groups.push({ p, items: [im] });
  }
  for (const g of groups) g.items.sort((a, b) => compareOrder(a.order, b.order));
  const counts = new Set(groups.map((g) => g.items.length));
  const irregular = counts.size > 1;
  const nVolumes = irregular ? 1 : groups[0].items.length;
  const slices: SliceRef[] = [];
  if (irregular) {
    // Keep the first image at each position; the caller flags the rest.
    for (const g of groups) slices.push(g.items[0].ref);
  } else {
    for (let t = 0; t < nVolumes; t++) for (const g of groups) slices.push(g.items[t].ref);
  }
  return {
    slices,
    nSlices: groups.length,
    nVolumes,
    projections: groups.map((g) => g.p),
    positions: groups.map((g) => g.items[0].ref.position),
    irregular,
    duplicatePositions: irregular,
  };
}
