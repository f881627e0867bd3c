// Philox4x32-10 against the Random123 known-answer vectors (kat_vectors, philox4x32_10), and stream properties.
import { describe, expect, it } from 'vitest';
import { Philox, philox4x32, streamOf } from '../../../../native-models/init/philox.js';

const hex = (a: number[]): string => a.map((x) => x.toString(16).padStart(8, '0')).join(' ');

describe('philox4x32-10', () => {
  it('matches the Random123 known-answer vectors', () => {
    expect(hex(philox4x32([0, 0, 0, 0], [0, 0]))).toBe('6627e8d5 e169c58d bc57ac4c 9b00dbd8');
    expect(hex(philox4x32([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff])))
      .toBe('408f276d 41c83b0e a20bc7c6 6d5451fd');
    expect(hex(philox4x32([0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0])))
      .toBe('d16cfe09 94fdcceb 5001e420 24126ea1');
  });

  it('is deterministic by seed and stream, and differs across them', () => {
    const draw = (seed: number, stream: number): number[] => {
      const r = new Philox(seed, stream);
      return Array.from({ length: 9 }, () => r.nextU32());
    };
    expect(draw(3, 1)).toEqual(draw(3, 1));
    expect(draw(3, 1)).not.toEqual(draw(4, 1));
    expect(draw(3, 1)).not.toEqual(draw(3, 2));
    expect(streamOf('conv1.weight')).not.toBe(streamOf('conv2.weight'));
  });

  it('gives standard normals (moments over 100k draws)', () => {
    const r = new Philox(11);
    let s = 0, s2 = 0, s4 = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const x = r.normal();
      s += x; s2 += x * x; s4 += x ** 4;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.015);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.02);
    expect(Math.abs(s4 / n - 3)).toBeLessThan(0.1);
  });
});
