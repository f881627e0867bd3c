// Geometry of the slice viewer's panes (pure): which anatomical directions the edges of a displayed slice face
// (from the series' affine and the slice's sliceToVoxel: orientation labels), which slice pixel lies under the
// pointer, and zoom about a point with pan. Positions and the pixel <-> voxel <-> RAS mapping come from the
// contract's slice-geometry.ts (shared with the series service).
import { orientationLetters } from '../../../../app/contract/slice-geometry.js';

export interface EdgeLabels {
  left: string;
  right: string;
  top: string;
  bottom: string;
}

/** RAS+ direction of one step along a slice's columns (`param` 0) or rows (1): affine[:3,:3] times M's column. */
function direction(affine: readonly (readonly number[])[], m: readonly (readonly number[])[], param: 0 | 1): number[] {
  return [0, 1, 2].map((r) => affine[r][0] * m[0][param] + affine[r][1] * m[1][param] + affine[r][2] * m[2][param]);
}

/** The anatomical direction each edge of the displayed slice faces (e.g. axial radiological: R left, L right, A top). */
export function edgeLabels(affine: readonly (readonly number[])[], sliceToVoxel: readonly (readonly number[])[]): EdgeLabels {
  if (affine.length < 3 || sliceToVoxel.length < 3) return { left: '', right: '', top: '', bottom: '' };
  const right = direction(affine, sliceToVoxel, 0);
  const down = direction(affine, sliceToVoxel, 1);
  return {
    right: orientationLetters(right),
    left: orientationLetters(right.map((v) => -v)),
    bottom: orientationLetters(down),
    top: orientationLetters(down.map((v) => -v)),
  };
}

/** The slice pixel under client point (x, y) of an image drawn in `rect`, or null outside it. */
export function pixelAt(
  rect: { left: number; top: number; width: number; height: number },
  x: number,
  y: number,
  width: number,
  height: number,
): { col: number; row: number } | null {
  if (rect.width <= 0 || rect.height <= 0) return null;
  const col = Math.floor(((x - rect.left) / rect.width) * width);
  const row = Math.floor(((y - rect.top) / rect.height) * height);
  if (col < 0 || row < 0 || col >= width || row >= height) return null;
  return { col, row };
}

export interface PaneView {
  /** 1 = the slice fitted to the pane. */
  zoom: number;
  /** Offset of the image centre from the pane centre, CSS px. */
  panX: number;
  panY: number;
}

export const FIT: PaneView = { zoom: 1, panX: 0, panY: 0 };
export const MIN_ZOOM = 0.25;
export const MAX_ZOOM = 32;

/**
 * Zoom by `factor` keeping the image point under (x, y) in place; (x, y) relative to the pane's centre, CSS px.
 * The point p on screen is centre + pan + zoom * q (q fixed in image space): solve for the new pan.
 */
export function zoomAbout(view: PaneView, factor: number, x: number, y: number): PaneView {
  const zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, view.zoom * factor));
  const k = zoom / view.zoom;
  return { zoom, panX: x - (x - view.panX) * k, panY: y - (y - view.panY) * k };
}
