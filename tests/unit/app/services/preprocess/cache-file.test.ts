// The cache file format: int16 quantisation within half a step, a round trip of header and voxels, and
// every kind of damage refused as CacheFileError (never read as voxels): wrong magic, a cut header, corrupt
// header JSON, a truncated or padded file, a flipped voxel byte (CRC). Settings: defaults, validation, and
// a key that changes with every setting.
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { quantize, readCacheFile, readCacheHeader, writeCacheFile } from '../../../../../app/services/preprocess/cache-file.js';
import { DEFAULT_PREPROCESS_SETTINGS, resolveSettings, settingsKey } from '../../../../../app/services/preprocess/settings.js';

const dir = path.resolve('tests/.tmp', `cache-file-${process.pid}`);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const values = Float32Array.from({ length: 6 * 5 * 4 }, (_, i) => Math.sin(i) * 3 - 0.5);

function write(name: string) {
  const q = quantize(values);
  const file = path.join(dir, name);
  const s = resolveSettings();
  const info = writeCacheFile(
    file,
    {
      seriesId: 3,
      settingsKey: settingsKey(s),
      settings: s,
      fingerprint: 'abc',
      modality: 'MR',
      intensity: { mode: 'percentile', low: 0, high: 1, shift: 0, divisor: 1, threshold: 0, foregroundVoxels: 1, fieldOfViewVoxels: 1 },
      dims: [6, 5, 4],
      spacing: [2, 2, 2],
      affine: [[2, 0, 0, 0], [0, 2, 0, 0], [0, 0, 2, 0], [0, 0, 0, 1]],
      scale: q.scale,
      offset: q.offset,
      source: { dims: [6, 5, 4], spacing: [2, 2, 2], volume: 0, volumeCount: 1 },
      grid: { dims: [6, 5, 4], box: { start: [0, 0, 0], size: [6, 5, 4] } },
      createdAt: 'now',
    },
    q.data,
  );
  return { file, info, q };
}

describe('cache files', () => {
  it('quantise within half a step and round-trip', () => {
    const { file, info, q } = write('a.vxp');
    expect(info.dataOffset % 64).toBe(0);
    const back = readCacheFile(file);
    expect(back.header.seriesId).toBe(3);
    expect(back.dataOffset).toBe(info.dataOffset);
    expect(Array.from(back.data)).toEqual(Array.from(q.data));
    for (let i = 0; i < values.length; i++) expect(Math.abs(back.header.offset + back.header.scale * back.data[i] - values[i])).toBeLessThanOrEqual(q.scale / 2 + 1e-6);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuse every kind of damage', () => {
    const { file, info } = write('b.vxp');
    const good = fs.readFileSync(file);
    const damaged = (name: string, bytes: Buffer) => {
      const f = path.join(dir, name);
      fs.writeFileSync(f, bytes);
      return f;
    };
    const magic = Buffer.from(good);
    magic[0] = 0x41;
    expect(() => readCacheHeader(damaged('magic.vxp', magic))).toThrow(expect.objectContaining({ name: 'CacheFileError', message: expect.stringMatching(/not a preprocessed cache file/) }));
    expect(() => readCacheHeader(damaged('cut-header.vxp', good.subarray(0, 40)))).toThrow(/truncated cache file/);
    const json = Buffer.from(good);
    json[12] = 0x78; // 'x' where the JSON's '{' was
    expect(() => readCacheHeader(damaged('json.vxp', json))).toThrow(/corrupt cache header/);
    expect(() => readCacheHeader(damaged('short.vxp', good.subarray(0, good.length - 2)))).toThrow(/truncated cache file/);
    expect(() => readCacheHeader(damaged('long.vxp', Buffer.concat([good, Buffer.alloc(2)])))).toThrow(/truncated cache file|expected/);
    const flipped = Buffer.from(good);
    flipped[info.dataOffset + 5] ^= 0x10;
    const f = damaged('crc.vxp', flipped);
    expect(() => readCacheHeader(f)).not.toThrow(); // the header alone cannot tell
    expect(() => readCacheFile(f)).toThrow(expect.objectContaining({ name: 'CacheFileError', message: expect.stringMatching(/CRC-32/) }));
  });
});

describe('preprocessing settings', () => {
  it('defaults, an isotropic number, and refusals', () => {
    expect(resolveSettings()).toEqual({ ...DEFAULT_PREPROCESS_SETTINGS });
    expect(resolveSettings({ spacing: 1.5 }).spacing).toEqual([1.5, 1.5, 1.5]);
    expect(() => resolveSettings({ spacing: 0 })).toThrow(expect.objectContaining({ name: 'PreprocessError' }));
    expect(() => resolveSettings({ ctWindow: [100, -100] })).toThrow(/CT window/);
    expect(() => resolveSettings({ percentiles: [50, 40] })).toThrow(/percentiles/);
    expect(() => resolveSettings({ volume: -1 })).toThrow(/volume index/);
  });

  it('the key changes with every setting', () => {
    const base = settingsKey(resolveSettings());
    const variants = [
      { spacing: 1 },
      { antiAlias: false },
      { intensity: 'ct' as const },
      { ctWindow: [-1000, 2000] as [number, number] },
      { percentiles: [1, 99] as [number, number] },
      { volume: 1 },
    ].map((v) => settingsKey(resolveSettings(v)));
    expect(new Set([base, ...variants]).size).toBe(7);
    expect(settingsKey(resolveSettings({ spacing: 2 }))).toBe(base);
  });
});
