// The viewer's slice cache (renderer/src/sections/library/slice-source.ts): one fetch per slice, the middle slice
// also found under its own index, a failed fetch asked again, least recently used slices dropped, prefetch
// within the volume.
import { describe, expect, it } from 'vitest';
import { SliceSource } from '../../../../../renderer/src/sections/library/slice-source.js';
import type { SeriesAxis, SeriesSlice } from '../../../../../app/contract/types.js';

function fakeSlice(axis: SeriesAxis, index: number): SeriesSlice {
  const data = Buffer.from(Int16Array.of(index, -index).buffer).toString('base64');
  return {
    axis, index, count: 10, volume: 0, volumeCount: 1, width: 2, height: 1, dtype: 'int16', data, min: -index, max: index,
    pixelSize: [1, 1], window: { center: 0, width: 1 }, percentiles: [], sliceToVoxel: [], affine: [],
  };
}

describe('SliceSource', () => {
  it('fetches each slice once, decodes it, and files the middle slice under its index', async () => {
    const asked: string[] = [];
    const src = new SliceSource(async (axis, volume, index) => {
      asked.push(`${axis}/${volume}/${index}`);
      return fakeSlice(axis, index ?? 5);
    });
    const mid = await src.get('axial', 0, null);
    expect(Array.from(mid.samples)).toEqual([5, -5]);
    await src.get('axial', 0, 5);
    await src.get('axial', 0, null);
    expect(asked).toEqual(['axial/0/null']);
  });

  it('asks again after a failure, drops the least recently used, prefetches inside the volume', async () => {
    let fail = true;
    const asked: number[] = [];
    const src = new SliceSource(async (axis, _volume, index) => {
      asked.push(index ?? -1);
      if (fail) throw new Error('server busy');
      return fakeSlice(axis, index ?? 0);
    }, 3);
    await expect(src.get('coronal', 0, 1)).rejects.toThrow('server busy');
    fail = false;
    await src.get('coronal', 0, 1);
    expect(asked).toEqual([1, 1]);
    await src.get('coronal', 0, 2);
    await src.get('coronal', 0, 3);
    await src.get('coronal', 0, 1); // touched: now the newest
    await src.get('coronal', 0, 4); // drops 2, the least recently used
    asked.length = 0;
    await src.get('coronal', 0, 1);
    await src.get('coronal', 0, 2);
    expect(asked).toEqual([2]);
    asked.length = 0;
    src.prefetch('sagittal', 0, 9, 10);
    await new Promise((r) => setTimeout(r, 0));
    expect(asked.sort()).toEqual([8]);
  });
});
