// Two augmented views of one preprocessed volume, drawn from (seed, sample index) alone: the crops from
// stream 0, view 1's and view 2's parameters from streams 1 and 2, their noise fields from streams 3 and 4
// (so a noise field's length never shifts another draw). Order within a view: crop (resampled to the input
// box, flips folded in) -> 90-degree rotation -> scale and shift -> gamma -> blur -> noise.
import type { AugmentConfig, CropBox, ViewAugment, ViewDraw } from '../../contract/types/data.js';
import { gaussianFilter3d } from '../preprocess/index.js';
import { Random } from './random.js';
import { drawCropPair } from './crop.js';
import { resizeCrop, type VolumeSlab } from './resize-crop.js';
import { rotatablePlanes, rotate90 } from './rotate90.js';
import { addNoise, adjustGamma, meanStd, scaleShift } from './intensity-ops.js';

/** Input box [d, h, w] (PyTorch's D, H, W: w along x). */
export type Box3 = [number, number, number];

export function drawView(rng: Random, cfg: ViewAugment, crop: CropBox, box: Box3): ViewDraw {
  const flip = cfg.flip.map((p) => rng.chance(p)) as [boolean, boolean, boolean];
  let rot: ViewDraw['rotate90'] = null;
  if (rng.chance(cfg.rotate90)) {
    const planes = rotatablePlanes([box[2], box[1], box[0]]);
    if (planes.length) rot = { plane: planes[rng.int(planes.length)], turns: 1 + rng.int(3) };
  }
  const ss = rng.chance(cfg.scaleShift.p) ? { scale: rng.range(...cfg.scaleShift.scale), shift: rng.range(...cfg.scaleShift.shift) } : null;
  const gamma = rng.chance(cfg.gamma.p) ? rng.range(...cfg.gamma.range) : null;
  const blur = rng.chance(cfg.blur.p) ? rng.range(...cfg.blur.sigma) : null;
  const noise = rng.chance(cfg.noise.p) ? rng.range(0, cfg.noise.std) : null;
  return { crop, flip, rotate90: rot, scaleShift: ss, gamma, blurSigma: blur, noiseStd: noise };
}

/** The draws of both views of sample `sample` of a volume with dims `dims` (stored voxels [x, y, z]). */
export function drawPair(seed: number, sample: number, dims: [number, number, number], cfg: AugmentConfig, box: Box3): [ViewDraw, ViewDraw] {
  const [c1, c2] = drawCropPair(new Random(seed, sample, 0), dims, cfg.crop);
  return [drawView(new Random(seed, sample, 1), cfg.view1, c1, box), drawView(new Random(seed, sample, 2), cfg.view2, c2, box)];
}

/** View `view` (1 or 2) of sample `sample`, rendered from `src` as `draw` says, into `out` (or a new array). */
export function renderView(src: VolumeSlab, draw: ViewDraw, box: Box3, seed: number, sample: number, view: 1 | 2, out?: Float32Array<ArrayBufferLike>): Float32Array<ArrayBufferLike> {
  const dims: [number, number, number] = [box[2], box[1], box[0]];
  let x = resizeCrop(src, draw.crop, box, draw.flip, draw.rotate90 ? undefined : out);
  if (draw.rotate90) x = rotate90(x, dims, draw.rotate90.plane, draw.rotate90.turns, out);
  const needStd = draw.scaleShift !== null || draw.noiseStd !== null;
  const std = needStd ? meanStd(x).std : 0;
  if (draw.scaleShift) scaleShift(x, draw.scaleShift.scale, draw.scaleShift.shift * std);
  if (draw.gamma !== null) adjustGamma(x, draw.gamma);
  if (draw.blurSigma !== null) gaussianFilter3d(x, dims, [draw.blurSigma, draw.blurSigma, draw.blurSigma]);
  if (draw.noiseStd !== null && std > 0) addNoise(x, draw.noiseStd * std, new Random(seed, sample, 2 + view));
  return x;
}
