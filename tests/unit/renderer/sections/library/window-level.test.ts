// Slice viewer intensity mapping (renderer/src/sections/library/window-level.ts): the DICOM linear VOI
// function, raw slice decoding, display sizing from spacing, presets.
import { describe, expect, it } from 'vitest';
import {
  CT_PRESETS,
  applyWindow,
  decodeSamples,
  dragWindow,
  fitDisplaySize,
  isHounsfield,
} from '../../../../../renderer/src/sections/library/window-level.js';

/** DICOM PS3.3 C.11.2.1.2.1, written out as the standard states it. */
function dicomLinear(x: number, c: number, w: number): number {
  if (x <= c - 0.5 - (w - 1) / 2) return 0;
  if (x > c - 0.5 + (w - 1) / 2) return 255;
  return ((x - (c - 0.5)) / (w - 1) + 0.5) * 255;
}

describe('applyWindow', () => {
  it('follows the DICOM linear VOI function for CT windows', () => {
    const xs = Float32Array.from({ length: 401 }, (_, i) => -1200 + i * 10);
    for (const p of CT_PRESETS) {
      const out = new Uint8ClampedArray(xs.length * 4);
      applyWindow(xs, p, out);
      for (let i = 0; i < xs.length; i++) {
        const want = Math.round(Math.min(255, Math.max(0, dicomLinear(xs[i] as number, p.center, p.width))));
        expect(Math.abs((out[i * 4] as number) - want), `${p.id} at ${xs[i]}`).toBeLessThanOrEqual(1);
        expect(out[i * 4 + 1]).toBe(out[i * 4]);
        expect(out[i * 4 + 3]).toBe(255);
      }
    }
  });

  it('maps non-finite samples to black', () => {
    const out = new Uint8ClampedArray(8);
    applyWindow(Float32Array.of(Number.NaN, 1e9), { center: 0, width: 10 }, out);
    expect(out[0]).toBe(0);
    expect(out[4]).toBe(255);
  });
});

describe('decodeSamples', () => {
  it('decodes little-endian int16 and float32 from base64', () => {
    const ints = Int16Array.of(-1024, 0, 1, 3071, -32768, 32767);
    const b64 = Buffer.from(ints.buffer).toString('base64');
    expect(Array.from(decodeSamples(b64, 'int16'))).toEqual(Array.from(ints));
    const floats = Float32Array.of(-1.5, 0.25, 1e6);
    expect(Array.from(decodeSamples(Buffer.from(floats.buffer).toString('base64'), 'float32'))).toEqual(Array.from(floats));
  });

  it('refuses a byte count that is not whole samples, and unknown dtypes', () => {
    expect(() => decodeSamples(Buffer.from([1, 2, 3]).toString('base64'), 'int16')).toThrow(/whole number/);
    expect(() => decodeSamples('', 'complex64')).toThrow(/unknown slice dtype/);
  });
});

describe('fitDisplaySize', () => {
  it('keeps physical proportions: 256 columns of 0.86 mm by 20 slices of 7.07 mm', () => {
    const { width, height } = fitDisplaySize(256, 20, [0.859375, 7.0711], 670, 440);
    expect(width / height).toBeCloseTo((256 * 0.859375) / (20 * 7.0711), 1);
    expect(width).toBeLessThanOrEqual(670);
    expect(height).toBeLessThanOrEqual(440);
    expect(width === 670 || height === 440).toBe(true);
  });

  it('treats missing spacing as 1 mm and an empty stage as nothing to draw', () => {
    expect(fitDisplaySize(100, 50, [0, Number.NaN], 400, 400)).toEqual({ width: 400, height: 200 });
    expect(fitDisplaySize(100, 50, [1, 1], 0, 400)).toEqual({ width: 0, height: 0 });
  });
});

describe('dragWindow and modality', () => {
  it('right widens, down raises the level, and the width never drops below 1', () => {
    const start = { center: 40, width: 400 };
    expect(dragWindow(start, 10, 0).width).toBeGreaterThan(400);
    expect(dragWindow(start, 0, 10).center).toBeGreaterThan(40);
    expect(dragWindow(start, -1e6, 0).width).toBe(1);
  });

  it('uses CT presets only for CT', () => {
    expect(isHounsfield('CT')).toBe(true);
    expect(isHounsfield('ct')).toBe(true);
    expect(isHounsfield('MR')).toBe(false);
    expect(isHounsfield(undefined)).toBe(false);
  });
});
