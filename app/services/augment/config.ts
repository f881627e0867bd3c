// Augmentation defaults (DESIGN §5: BYOL's asymmetric views, adapted to 3-D medical volumes) and the merge
// of partial overrides. Per view, each augmentation has its own probability:
//
//   augmentation        view 1          view 2          source of the choice
//   random resized crop scale [0.25, 1] of the foreground box's volume, aspect [3/4, 4/3] per side,
//                       the two crops sharing at least 25% of the smaller one (BYOL: RandomResizedCrop
//                       scale [0.08, 1], aspect [3/4, 4/3]; 3-D medical BYOL/SimCLR use larger, overlapping crops)
//   scale and shift     p 0.8           p 0.8           BYOL colour jitter p 0.8 (brightness/contrast 0.4):
//                       x * s + t * std(view), s in [0.75, 1.25], t in [-0.25, 0.25]
//   gamma               p 0.3           p 0.3           MONAI RandAdjustContrast, gamma [0.7, 1.5]
//   Gaussian noise      p 0.1           p 0.5           std U(0, 0.1) * std(view) (MONAI RandGaussianNoise);
//                                                       view 2's extra noise stands in for BYOL's solarisation (p 0 / 0.2)
//   Gaussian blur       p 1.0           p 0.1           BYOL's blur probabilities; sigma [0.5, 1.5] voxels
//   flips, 90-degree rotations   off (p 0) in both      DESIGN §5: they cost ~10 points of region retrieval
import type { AugmentConfig, AugmentConfigInput, ViewAugment } from '../../contract/types/data.js';

const view = (noise: number, blur: number): ViewAugment => ({
  scaleShift: { p: 0.8, scale: [0.75, 1.25], shift: [-0.25, 0.25] },
  gamma: { p: 0.3, range: [0.7, 1.5] },
  noise: { p: noise, std: 0.1 },
  blur: { p: blur, sigma: [0.5, 1.5] },
  flip: [0, 0, 0],
  rotate90: 0,
});

export function defaultAugmentConfig(): AugmentConfig {
  return {
    crop: { scale: [0.25, 1], aspect: [3 / 4, 4 / 3], minOverlap: 0.25 },
    view1: view(0.1, 1.0),
    view2: view(0.5, 0.1),
  };
}

/** Defaults overridden by `input` (per view, per augmentation: a given augmentation replaces the default's). */
export function resolveAugment(input: AugmentConfigInput = {}): AugmentConfig {
  const d = defaultAugmentConfig();
  return {
    crop: { ...d.crop, ...input.crop },
    view1: { ...d.view1, ...input.view1 },
    view2: { ...d.view2, ...input.view2 },
  };
}
