// The AugmentPreview's caption words and its "New sample" seed.
import { describe, expect, it } from 'vitest';
import { describeDraw, nextSeed } from '../../../../../renderer/src/sections/pretrain/augment-draw.js';

describe('describeDraw', () => {
  it('names the crop, then each augmentation that fired', () => {
    const base = { crop: { start: [3, 0, 7] as [number, number, number], size: [40, 52, 38] as [number, number, number] }, flip: [false, false, false] as [boolean, boolean, boolean], rotate90: null, scaleShift: null, gamma: null, blurSigma: null, noiseStd: null };
    expect(describeDraw(base)).toEqual(['crop 40×52×38 at 3,0,7']);
    expect(
      describeDraw({ ...base, flip: [true, false, true], rotate90: { plane: 'xy', turns: 3 }, scaleShift: { scale: 1.104, shift: -0.2 }, gamma: 0.8, blurSigma: 1.25, noiseStd: 0.0412 }),
    ).toEqual(['crop 40×52×38 at 3,0,7', 'rotate 270° in xy', 'flip x,z', 'scale ×1.1 shift −0.2 sd', 'gamma 0.8', 'blur σ 1.25', 'noise 0.041 sd']);
  });

  it('nextSeed never repeats the current seed', () => {
    const values = [0.5, 0.5, 0.25];
    let i = 0;
    expect(nextSeed(2 ** 31, () => values[i++])).toBe(2 ** 30);
    expect(nextSeed(7)).not.toBe(7);
  });
});
