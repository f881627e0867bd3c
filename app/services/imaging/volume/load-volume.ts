// Decodes the pixels of a VolumePlan into a Volume laid out as dcm2niix writes it (plan.layout).
// Stored values are kept with uniform RescaleSlope/Intercept in sclSlope/sclInter, as dcm2niix keeps
// them in scl_slope/scl_inter; when rescale varies between slices/frames (PS3.3 C.7.6.16.2.9 per-frame
// Pixel Value Transformation) voxels become Float32 real values (dcm2niix also converts then).
// Like dcm2niix's nii_check16bitUnsigned, unsigned 16-bit data whose maximum fits in int16 are stored
// as int16.
import { readFile as fsReadFile } from 'node:fs/promises';
import { readDataSet, type ParsedDataSet } from '../dicom/read-dataset.js';
import { decodeFrame } from '../dicom/pixel-decoder.js';
import { num, str } from '../dicom/dataset-values.js';
import { PixelDecodeError } from '../errors.js';
import type { DicomHeader, NiftiDatatypeName, ReadFileFn, Volume, VolumePlan, VoxelArray } from '../types.js';
import { reorderVoxels } from './reorder.js';

/** Files read ahead of decoding. */
const READ_AHEAD = 8;

const defaultRead: ReadFileFn = async (p) => new Uint8Array(await fsReadFile(p));

export function datatypeOf(data: VoxelArray, components: number): NiftiDatatypeName {
  if (components === 3) return 'rgb24';
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Uint16Array) return 'uint16';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Uint32Array) return 'uint32';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Float64Array) return 'float64';
  return 'float32';
}

export async function loadVolume(plan: VolumePlan, readFile: ReadFileFn = defaultRead): Promise<Volume> {
  if (plan.slices.length === 0) throw new PixelDecodeError(plan.seriesUid, '', 'volume has no slices with pixel data');
  const components = Math.max(1, plan.components);
  const columns = plan.mosaic ? plan.mosaic.tileColumns : plan.header.columns;
  const rows = plan.mosaic ? plan.mosaic.tileRows : plan.header.rows;
  const nSlices = plan.slices.length / (plan.dims[3] ?? 1);
  const nVolumes = plan.dims[3] ?? 1;
  const sliceSize = columns * rows * components;
  const slopes = new Set(plan.slices.map((s) => `${s.rescaleSlope}/${s.rescaleIntercept}`));
  const varying = slopes.size > 1;

  // Read files ahead (a few in flight) so decoding does not wait on each read in turn.
  const order = [...new Set(plan.slices.map((s) => s.path))];
  const pending = new Map<string, Promise<Uint8Array>>();
  let next = 0;
  const fill = () => {
    while (next < order.length && pending.size < READ_AHEAD) {
      const p = order[next++];
      const read = readFile(p);
      read.catch(() => {}); // surfaced when awaited
      pending.set(p, read);
    }
  };
  const take = async (path: string): Promise<Uint8Array> => {
    fill();
    const hit = pending.get(path);
    pending.delete(path);
    const bytes = await (hit ?? readFile(path));
    fill();
    return bytes;
  };

  const cache = new Map<string, { parsed: ParsedDataSet; header: DicomHeader }>();
  async function open(path: string) {
    let hit = cache.get(path);
    if (!hit) {
      const bytes = await take(path);
      const parsed = readDataSet(bytes, path, { untilPixelData: false });
      const ds = parsed.dataSet;
      const header: DicomHeader = {
        ...plan.header,
        path,
        transferSyntaxUid: parsed.transferSyntaxUid,
        numberOfFrames: Math.max(1, Math.round(num(ds, 'x00280008') ?? 1)),
        photometric: str(ds, 'x00280004').toUpperCase() || plan.header.photometric,
        planarConfiguration: ds.elements.x00280006 ? (ds.uint16('x00280006') ?? 0) : plan.header.planarConfiguration,
      };
      hit = { parsed, header };
      // Keep only the current file: frames of a multi-frame file are consecutive in most plans.
      cache.clear();
      cache.set(path, hit);
    }
    return hit;
  }

  let natural: VoxelArray | null = null;
  const mosaicCache: { key: string; data: VoxelArray | null } = { key: '', data: null };
  for (let s = 0; s < plan.slices.length; s++) {
    const ref = plan.slices[s];
    const { parsed, header } = await open(ref.path);
    let data: VoxelArray;
    if (plan.mosaic && ref.tile !== undefined) {
      const key = `${ref.path}#${ref.frame}`;
      if (mosaicCache.key !== key || !mosaicCache.data) {
        mosaicCache.data = (await decodeFrame(parsed, header, ref.frame)).data;
        mosaicCache.key = key;
      }
      data = cutTile(mosaicCache.data, plan.header.columns, plan.mosaic.tilesPerRow, columns, rows, components, ref.tile);
    } else {
      data = (await decodeFrame(parsed, header, ref.frame)).data;
    }
    if (data.length !== sliceSize) {
      throw new PixelDecodeError(ref.path, parsed.transferSyntaxUid, `frame ${ref.frame} has ${data.length} samples, expected ${sliceSize}`);
    }
    if (natural === null) {
      natural = varying ? new Float32Array(sliceSize * plan.slices.length) : new (data.constructor as new (n: number) => VoxelArray)(sliceSize * plan.slices.length);
    }
    const offset = s * sliceSize;
    if (varying) {
      for (let i = 0; i < sliceSize; i++) natural[offset + i] = data[i] * ref.rescaleSlope + ref.rescaleIntercept;
    } else {
      natural.set(data as never, offset);
    }
  }
  let out = reorderVoxels(natural as VoxelArray, [columns, rows, nSlices], nVolumes, components, plan.layout);
  if (out instanceof Uint16Array) {
    let max = 0;
    for (let i = 0; i < out.length; i++) if (out[i] > max) max = out[i];
    if (max <= 32767) out = new Int16Array(out.buffer, out.byteOffset, out.length);
  }
  const first = plan.slices[0];
  return {
    dims: [...plan.dims],
    data: out,
    datatype: datatypeOf(out, components),
    components,
    affine: plan.affine.map((r) => [...r]) as Volume['affine'],
    spacing: [...plan.spacing],
    sclSlope: varying ? 1 : first.rescaleSlope,
    sclInter: varying ? 0 : first.rescaleIntercept,
    description: plan.label,
  };
}

/** Tile k (row-major) of a mosaic image `mosaicColumns` wide. */
function cutTile(src: VoxelArray, mosaicColumns: number, tilesPerRow: number, cols: number, rows: number, components: number, k: number): VoxelArray {
  const out = new (src.constructor as new (n: number) => VoxelArray)(cols * rows * components);
  const tr = Math.floor(k / tilesPerRow);
  const tc = k % tilesPerRow;
  for (let y = 0; y < rows; y++) {
    const start = ((tr * rows + y) * mosaicColumns + tc * cols) * components;
    out.set(src.subarray(start, start + cols * components) as never, y * cols * components);
  }
  return out;
}
