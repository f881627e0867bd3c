// NIfTI-1 and NIfTI-2 reading (.nii, .nii.gz) through nifti-reader-js. The affine follows the NIfTI-1
// header documentation (nifti1.h, "3 different methods"): sform when sform_code > 0 (method 3), else
// qform when qform_code > 0 (method 2, quaternion.ts), else pixdim scaling (method 1, Analyze).
// scl_slope / scl_inter applied when slope is non-zero and not the identity (nifti1.h: slope 0 = none).
// 4-D (and higher) files give one 3-D volume per index of dims 4..7.
import { readFile } from 'node:fs/promises';
import { constants, gunzipSync } from 'node:zlib';
import * as nifti from 'nifti-reader-js';
import { NiftiError } from '../errors.js';
import type { Affine, NiftiHeaderInfo, NiftiVolume, ReadNiftiOptions, Vec3, VoxelArray } from '../types.js';
import { BITPIX, datatypeName, typedFromBytes } from './datatypes.js';
import { quaternToAffine } from './quaternion.js';

export function isNiftiPath(path: string): boolean {
  return /\.nii(\.gz)?$/i.test(path);
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

function inflate(bytes: Uint8Array, path: string, prefixOnly = false): Uint8Array {
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      // A prefix of a .nii.gz inflates as far as it goes with a sync flush (enough for the header).
      return new Uint8Array(prefixOnly ? gunzipSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH }) : gunzipSync(bytes));
    } catch (e) {
      throw new NiftiError(path, `corrupt gzip: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  }
  return bytes;
}

type RawHeader = ReturnType<typeof nifti.readHeader>;

function headerInfo(h: RawHeader, path: string, version: 1 | 2): NiftiHeaderInfo {
  const ndim = Math.max(1, Math.min(7, h.dims[0]));
  const dims = h.dims.slice(1, 1 + ndim).map((d) => Math.max(1, d));
  while (dims.length < 3) dims.push(1);
  const pixdim = h.pixDims.slice(1, 1 + dims.length);
  const qfac = h.pixDims[0] < 0 ? -1 : 1;
  const qformAffine = quaternToAffine({
    b: h.quatern_b,
    c: h.quatern_c,
    d: h.quatern_d,
    qx: h.qoffset_x ?? (h as unknown as { quatern_x: number }).quatern_x,
    qy: h.qoffset_y ?? (h as unknown as { quatern_y: number }).quatern_y,
    qz: h.qoffset_z ?? (h as unknown as { quatern_z: number }).quatern_z,
    dx: pixdim[0],
    dy: pixdim[1],
    dz: pixdim[2],
    qfac,
  });
  const sformAffine: Affine | null =
    h.sform_code > 0 && h.affine
      ? [
          [h.affine[0][0], h.affine[0][1], h.affine[0][2], h.affine[0][3]],
          [h.affine[1][0], h.affine[1][1], h.affine[1][2], h.affine[1][3]],
          [h.affine[2][0], h.affine[2][1], h.affine[2][2], h.affine[2][3]],
          [0, 0, 0, 1],
        ]
      : null;
  let affine: Affine;
  let affineSource: NiftiHeaderInfo['affineSource'];
  if (sformAffine) {
    affine = sformAffine;
    affineSource = 'sform';
  } else if (h.qform_code > 0) {
    affine = qformAffine;
    affineSource = 'qform';
  } else {
    affine = [
      [pixdim[0] || 1, 0, 0, 0],
      [0, pixdim[1] || 1, 0, 0],
      [0, 0, pixdim[2] || 1, 0],
      [0, 0, 0, 1],
    ];
    affineSource = 'pixdim';
  }
  const volumeCount = dims.slice(3).reduce((a, b) => a * b, 1);
  return {
    path,
    version,
    littleEndian: h.littleEndian,
    dims,
    pixdim,
    datatypeCode: h.datatypeCode,
    datatype: datatypeName(h.datatypeCode),
    bitpix: h.numBitsPerVoxel,
    voxOffset: h.vox_offset,
    sclSlope: h.scl_slope,
    sclInter: h.scl_inter,
    qformCode: h.qform_code,
    sformCode: h.sform_code,
    qformAffine,
    sformAffine,
    affine,
    affineSource,
    description: (h.description ?? '').replace(/\0/g, '').trim(),
    xyztUnits: h.xyzt_units,
    intentCode: h.intent_code,
    volumeCount,
  };
}

function parse(bytes: Uint8Array, path: string, prefixOnly = false): { info: NiftiHeaderInfo; raw: RawHeader; data: ArrayBuffer } {
  if (bytes.length === 0) throw new NiftiError(path, 'empty file (0 bytes)');
  const plain = inflate(bytes, path, prefixOnly);
  const ab = toArrayBuffer(plain);
  const v1 = nifti.isNIFTI1(ab);
  const v2 = !v1 && nifti.isNIFTI2(ab);
  if (!v1 && !v2) throw new NiftiError(path, 'not a NIfTI-1 or NIfTI-2 file (bad sizeof_hdr or magic)');
  let raw: RawHeader;
  try {
    raw = nifti.readHeader(ab);
  } catch (e) {
    throw new NiftiError(path, `cannot read NIfTI header: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  if (!raw) throw new NiftiError(path, 'cannot read NIfTI header');
  return { info: headerInfo(raw, path, v1 ? 1 : 2), raw, data: ab };
}

/**
 * Header of a .nii / .nii.gz. `bytes` may be the whole file or only its beginning (e.g. the first 64 KiB,
 * gzipped or not): only the 348/540-byte header is needed. Throws NiftiError.
 */
export function readNiftiHeader(bytes: Uint8Array, path: string): NiftiHeaderInfo {
  return parse(bytes, path, true).info;
}

/** One NiftiVolume per 3-D volume (or those asked for). Throws NiftiError. */
export function readNiftiBytes(bytes: Uint8Array, path: string, options: ReadNiftiOptions = {}): NiftiVolume[] {
  const { info, data } = parse(bytes, path);
  if (!info.datatype) throw new NiftiError(path, `unsupported NIfTI datatype code ${info.datatypeCode}`);
  const dt = info.datatype;
  const components = dt === 'rgb24' ? 3 : 1;
  const bytesPerVoxel = BITPIX[dt] / 8;
  const [nx, ny, nz] = info.dims;
  const perVolume = nx * ny * nz * bytesPerVoxel;
  const start = Math.round(info.voxOffset);
  if (start + perVolume * info.volumeCount > data.byteLength) {
    throw new NiftiError(path, `truncated: image data needs ${start + perVolume * info.volumeCount} bytes, file has ${data.byteLength}`);
  }
  const which = options.volumes ?? Array.from({ length: info.volumeCount }, (_, i) => i);
  const applyScaling = options.applyScaling ?? true;
  const slope = info.sclSlope;
  const inter = info.sclInter;
  const scaled = slope !== 0 && Number.isFinite(slope) && !(slope === 1 && (inter === 0 || !Number.isFinite(inter)));
  const spacing = [0, 1, 2].map((c) => Math.hypot(info.affine[0][c], info.affine[1][c], info.affine[2][c])) as Vec3;
  const all = new Uint8Array(data);
  return which.map((index) => {
    if (index < 0 || index >= info.volumeCount) throw new NiftiError(path, `volume ${index} out of range (0..${info.volumeCount - 1})`);
    const bytesOfVolume = all.subarray(start + index * perVolume, start + (index + 1) * perVolume);
    let voxels: VoxelArray = typedFromBytes(dt, bytesOfVolume, info.littleEndian);
    let sclSlope = scaled ? slope : 1;
    let sclInter = scaled ? (Number.isFinite(inter) ? inter : 0) : 0;
    let datatype = dt;
    if (applyScaling && scaled && components === 1) {
      const f = new Float32Array(voxels.length);
      for (let i = 0; i < f.length; i++) f[i] = voxels[i] * sclSlope + sclInter;
      voxels = f;
      sclSlope = 1;
      sclInter = 0;
      datatype = 'float32';
    }
    return {
      dims: [nx, ny, nz],
      data: voxels,
      datatype,
      components,
      affine: info.affine.map((r) => [...r]) as Affine,
      spacing,
      sclSlope,
      sclInter,
      description: info.description,
      index,
      count: info.volumeCount,
      header: info,
    };
  });
}

export async function readNifti(path: string, options?: ReadNiftiOptions): Promise<NiftiVolume[]> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (e) {
    throw new NiftiError(path, `cannot read file: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  return readNiftiBytes(bytes, path, options);
}
