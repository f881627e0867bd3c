// Test support: real preprocessed cache entries without a catalogue. Colin27 (mricron-data ch2.nii.gz)
// through the preprocessing recipe at a coarse spacing, written as cache files under `dir` (one per
// requested series id; ids > 1 use the volume flipped left-right so that entries differ).
import fs from 'node:fs';
import path from 'node:path';
import { readNifti, scaledData } from '../../../../../app/services/imaging/index.js';
import { preprocessVolume } from '../../../../../app/services/preprocess/preprocess-volume.js';
import { resolveSettings } from '../../../../../app/services/preprocess/settings.js';
import { quantize, writeCacheFile } from '../../../../../app/services/preprocess/cache-file.js';
import type { PreprocessedEntry } from '../../../../../app/contract/types/data.js';

export const COLIN = '/usr/share/mricron/templates/ch2.nii.gz';

export async function colinEntries(dir: string, ids: number[], spacing = 4): Promise<PreprocessedEntry[]> {
  fs.mkdirSync(dir, { recursive: true });
  const [v] = await readNifti(COLIN);
  const s = resolveSettings({ spacing });
  const dims = v.dims.slice(0, 3) as [number, number, number];
  const out = preprocessVolume(scaledData(v), dims, v.affine, 'percentile', s);
  return ids.map((id, n) => {
    const values = out.values.slice();
    if (n > 0) {
      const [x, y, z] = out.dims;
      for (let k = 0; k < z; k++) for (let j = 0; j < y; j++) values.subarray((k * y + j) * x, (k * y + j + 1) * x).reverse();
    }
    const q = quantize(values);
    const file = path.join(dir, `${id}.vxp`);
    const info = writeCacheFile(
      file,
      {
        seriesId: id,
        settingsKey: 'test',
        settings: s,
        fingerprint: 'test',
        modality: 'MR',
        intensity: out.stats,
        dims: out.dims,
        spacing: s.spacing,
        affine: out.affine,
        scale: q.scale,
        offset: q.offset,
        source: { dims, spacing: [...v.spacing], volume: 0, volumeCount: 1 },
        grid: { dims: out.grid.dims, box: out.box },
        createdAt: new Date().toISOString(),
      },
      q.data,
    );
    return { seriesId: id, file, dims: out.dims, spacing: s.spacing, affine: out.affine, scale: q.scale, offset: q.offset, dataOffset: info.dataOffset, modality: 'MR', intensity: 'percentile', settingsKey: 'test' };
  });
}
