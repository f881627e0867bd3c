// The augmentation preview (Pretrain screen, `voxelbase augment-preview`): both views of one sample of a
// preprocessed series, as PNG data URLs of the three orthogonal middle slices of each input box, in the
// radiological display orientation of the imaging core (the box keeps the cache's RAS axes; box voxels are
// shown square, as the network sees them), windowed together between the 1st and 99th percentiles of both
// views so that their intensity augmentations compare.
import type { AugmentConfig, AugmentPreview, AugmentPreviewView, PreprocessedEntry, ViewDraw } from '../../contract/types/data.js';
import { encodePng, extractSlice, percentileWindow, windowTo8bit, type Volume } from '../imaging/index.js';
import { readCacheFile } from '../preprocess/index.js';
import { drawPair, renderView, type Box3 } from './augment-pair.js';

/** Long side of each preview image in pixels. */
const PREVIEW_SIZE = 160;

export function augmentPreview(entry: PreprocessedEntry, seed: number, box: Box3, cfg: AugmentConfig): AugmentPreview {
  const { data } = readCacheFile(entry.file);
  const slab = { data, dims: entry.dims, z0: 0, scale: entry.scale, offset: entry.offset };
  const [d1, d2] = drawPair(seed, 0, entry.dims, cfg, box);
  const v1 = renderView(slab, d1, box, seed, 0, 1);
  const v2 = renderView(slab, d2, box, seed, 0, 2);
  const window = jointWindow([v1, v2], 1, 99);
  return {
    seriesId: entry.seriesId,
    seed,
    box,
    window,
    view1: views(v1, d1, box, window),
    view2: views(v2, d2, box, window),
    source: { dims: entry.dims, spacing: entry.spacing },
  };
}

function views(values: Float32Array<ArrayBufferLike>, draw: ViewDraw, box: Box3, w: { low: number; high: number }): AugmentPreviewView {
  const volume = volumeOf(values, [box[2], box[1], box[0]]);
  const png = (axis: 'axial' | 'coronal' | 'sagittal') =>
    `data:image/png;base64,${Buffer.from(encodePng(windowTo8bit(extractSlice(volume, axis), w.low, w.high, PREVIEW_SIZE))).toString('base64')}`;
  return { axial: png('axial'), coronal: png('coronal'), sagittal: png('sagittal'), draw };
}

/** The imaging core's display window over both views together. */
function jointWindow(arrays: Float32Array<ArrayBufferLike>[], lowP: number, highP: number): { low: number; high: number } {
  const all = new Float32Array(arrays.reduce((n, a) => n + a.length, 0));
  let o = 0;
  for (const a of arrays) {
    all.set(a, o);
    o += a.length;
  }
  const w = percentileWindow({ ...volumeOf(all, [all.length, 1, 1]) }, lowP, highP);
  return { low: w.low, high: w.high > w.low ? w.high : w.low + 1 };
}

/** A float32 volume with 1 mm RAS voxels (the box as the network sees it). */
function volumeOf(values: Float32Array<ArrayBufferLike>, dims: number[]): Volume {
  return {
    dims,
    data: values as Float32Array,
    datatype: 'float32',
    components: 1,
    affine: [
      [1, 0, 0, 0],
      [0, 1, 0, 0],
      [0, 0, 1, 0],
      [0, 0, 0, 1],
    ],
    spacing: [1, 1, 1],
    sclSlope: 1,
    sclInter: 0,
  };
}
