// Public module of the augmentation domain (DESIGN §5, §5a): seeded per-view 3-D augmentations of
// preprocessed volumes and their preview.
//
//   defaultAugmentConfig() / resolveAugment(partial) -> AugmentConfig   (defaults and their sources: config.ts)
//   drawPair(seed, sample, dims, config, box) -> [ViewDraw, ViewDraw]  what each view does (crops overlap)
//   renderView(slab, draw, box, seed, sample, view, out?) -> Float32Array  the view, x fastest, box [d, h, w]
//   cropSlabRange(crop, nz) -> [z0, z1)   the source slices a crop reads
//   Random(seed, ...keys)                seeded stream (sfc32)
//   augmentPreview(dataDir, entry, seed, box?, config?) -> AugmentPreview   (PNG middle slices of both views)
export { defaultAugmentConfig, resolveAugment } from './config.js';
export { drawPair, drawView, renderView, type Box3 } from './augment-pair.js';
export { cropSlabRange, resizeCrop, type VolumeSlab } from './resize-crop.js';
export { Random } from './random.js';
export type { AugmentConfig, AugmentConfigInput, ViewAugment, ViewDraw, CropBox } from '../../contract/types/data.js';
export { augmentPreview } from './preview.js';
