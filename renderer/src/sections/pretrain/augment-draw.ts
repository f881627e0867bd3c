// Words for what one augmented view drew (the AugmentPreview's caption): crop size and place, then each
// augmentation that fired with its parameter. Pure, so it is unit-tested in plain Node.
import type { ViewDraw } from '../../../../app/contract/types.js';

const fixed = (x: number, d = 2) => x.toFixed(d).replace(/\.?0+$/, '');
const signed = (x: number) => `${x >= 0 ? '+' : '−'}${fixed(Math.abs(x))}`;

export function describeDraw(d: ViewDraw): string[] {
  const parts = [`crop ${d.crop.size.join('×')} at ${d.crop.start.join(',')}`];
  if (d.rotate90) parts.push(`rotate ${d.rotate90.turns * 90}° in ${d.rotate90.plane}`);
  const flips = ['x', 'y', 'z'].filter((_, i) => d.flip[i]);
  if (flips.length) parts.push(`flip ${flips.join(',')}`);
  if (d.scaleShift) parts.push(`scale ×${fixed(d.scaleShift.scale)} shift ${signed(d.scaleShift.shift)} sd`);
  if (d.gamma !== null) parts.push(`gamma ${fixed(d.gamma)}`);
  if (d.blurSigma !== null) parts.push(`blur σ ${fixed(d.blurSigma)}`);
  if (d.noiseStd !== null) parts.push(`noise ${fixed(d.noiseStd, 3)} sd`);
  return parts;
}

/** A fresh seed for "New sample" (any 32-bit value other than the current one). */
export function nextSeed(current: number, random: () => number = Math.random): number {
  for (;;) {
    const s = Math.floor(random() * 2 ** 32) >>> 0;
    if (s !== current) return s;
  }
}
