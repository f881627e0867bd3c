// Random resized crops of the foreground box for the two views (DESIGN §5a). A crop covers a fraction s of
// the box's volume, s ~ U(scale), with per-axis aspect factors exp(l_i - mean(l)), l_i ~ U(log aspect), so
// that side_i = dims_i * s^(1/3) * aspect_i (their product keeps the volume fraction); its position is
// uniform. View 2's crop is drawn until it shares at least `minOverlap` of the smaller crop's volume with
// view 1's (10 tries); failing that it is centred on view 1's crop (the largest overlap its size allows).
import type { CropBox, CropConfig } from '../../contract/types/data.js';
import type { Random } from './random.js';

type V3 = [number, number, number];

const TRIES = 10;

export function drawCrop(rng: Random, dims: V3, cfg: CropConfig): CropBox {
  const s = rng.range(cfg.scale[0], cfg.scale[1]);
  const la = Math.log(cfg.aspect[0]);
  const lb = Math.log(cfg.aspect[1]);
  const l = [rng.range(la, lb), rng.range(la, lb), rng.range(la, lb)];
  const mean = (l[0] + l[1] + l[2]) / 3;
  const side = Math.cbrt(s);
  const size = dims.map((d, i) => Math.max(1, Math.min(d, Math.round(d * side * Math.exp(l[i] - mean))))) as V3;
  const start = dims.map((d, i) => rng.int(d - size[i] + 1)) as V3;
  return { start, size };
}

/** Shared voxels of two crops. */
export function overlapVoxels(a: CropBox, b: CropBox): number {
  let v = 1;
  for (let i = 0; i < 3; i++) {
    const lo = Math.max(a.start[i], b.start[i]);
    const hi = Math.min(a.start[i] + a.size[i], b.start[i] + b.size[i]);
    v *= Math.max(0, hi - lo);
  }
  return v;
}

const volume = (c: CropBox) => c.size[0] * c.size[1] * c.size[2];

export function drawCropPair(rng: Random, dims: V3, cfg: CropConfig): [CropBox, CropBox] {
  const first = drawCrop(rng, dims, cfg);
  let second = drawCrop(rng, dims, cfg);
  const enough = (c: CropBox) => overlapVoxels(first, c) >= cfg.minOverlap * Math.min(volume(first), volume(c));
  for (let t = 1; t < TRIES && !enough(second); t++) {
    const size = second.size;
    second = { size, start: dims.map((d, i) => rng.int(d - size[i] + 1)) as V3 };
  }
  if (!enough(second)) {
    const size = second.size;
    const start = dims.map((d, i) => {
      const centre = first.start[i] + first.size[i] / 2;
      return Math.max(0, Math.min(d - size[i], Math.round(centre - size[i] / 2)));
    }) as V3;
    second = { start, size };
  }
  return [first, second];
}
