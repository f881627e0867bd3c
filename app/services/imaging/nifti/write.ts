// NIfTI-1 single-file writer (.nii, .nii.gz): 348-byte header, 4-byte empty extension flag, data at
// vox_offset 352 (nifti1.h). sform = the volume's affine (srow_x/y/z); qform = its quaternion
// (quaternion.ts, nifti1_io.c nifti_mat44_to_quatern); both codes 1 (scanner anatomical) as dcm2niix
// writes. xyzt_units = mm + s (10). scl_slope/scl_inter from the volume.
// writeNifti never copies the volume: .nii is one writev of header + voxels, .nii.gz streams through zlib.
// writeNiftiSync (.nii only) does the same writev synchronously, for worker threads: no round trips
// through libuv's thread pool, which the whole process shares.
import { open } from 'node:fs/promises';
import fs, { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGzip, gzipSync } from 'node:zlib';
import { NiftiError } from '../errors.js';
import type { Volume, WriteNiftiOptions } from '../types.js';
import { BITPIX, DATATYPE_CODE } from './datatypes.js';
import { affineToQuatern } from './quaternion.js';

const HEADER_SIZE = 348;
const VOX_OFFSET = 352;

export function encodeNifti(volume: Volume, options: WriteNiftiOptions & { gzip?: boolean; path?: string } = {}): Uint8Array {
  const { header, data } = niftiParts(volume, options);
  const out = new Uint8Array(VOX_OFFSET + data.length);
  out.set(header, 0);
  out.set(data, VOX_OFFSET);
  return options.gzip ? new Uint8Array(gzipSync(out, { level: 6 })) : out;
}

/** The 352 bytes before the voxels (header + empty extension flag) and a byte view on the voxels (no copy). */
function niftiParts(volume: Volume, options: WriteNiftiOptions & { path?: string }): { header: Uint8Array; data: Uint8Array } {
  const path = options.path ?? '(memory)';
  const dims = volume.dims;
  if (dims.length < 1 || dims.length > 7) throw new NiftiError(path, `cannot write ${dims.length} dimensions`);
  const nvox = dims.reduce((a, b) => a * b, 1);
  const expected = nvox * volume.components;
  if (volume.data.length !== expected) throw new NiftiError(path, `data has ${volume.data.length} values, dims need ${expected}`);
  const dataBytes = new Uint8Array(volume.data.buffer, volume.data.byteOffset, volume.data.byteLength);
  const out = new Uint8Array(VOX_OFFSET);
  const dv = new DataView(out.buffer);
  const xform = options.xformCode ?? 1;
  dv.setInt32(0, HEADER_SIZE, true);
  out[38] = 'r'.charCodeAt(0); // regular
  dv.setInt16(40, dims.length, true);
  for (let i = 0; i < 7; i++) dv.setInt16(42 + 2 * i, i < dims.length ? dims[i] : 1, true);
  dv.setInt16(70, DATATYPE_CODE[volume.datatype], true);
  dv.setInt16(72, BITPIX[volume.datatype], true);
  const q = affineToQuatern(volume.affine);
  dv.setFloat32(76, q.qfac, true);
  dv.setFloat32(80, q.dx, true);
  dv.setFloat32(84, q.dy, true);
  dv.setFloat32(88, q.dz, true);
  for (let i = 4; i < 8; i++) dv.setFloat32(76 + 4 * i, i - 1 < dims.length ? 1 : 0, true); // TR etc. unknown: 1
  dv.setFloat32(108, VOX_OFFSET, true);
  dv.setFloat32(112, volume.sclSlope, true);
  dv.setFloat32(116, volume.sclInter, true);
  out[123] = 2 | 8; // NIFTI_UNITS_MM | NIFTI_UNITS_SEC
  const descrip = (options.description ?? volume.description ?? '').slice(0, 79);
  for (let i = 0; i < descrip.length; i++) out[148 + i] = descrip.charCodeAt(i) & 0x7f;
  dv.setInt16(252, xform, true);
  dv.setInt16(254, xform, true);
  dv.setFloat32(256, q.b, true);
  dv.setFloat32(260, q.c, true);
  dv.setFloat32(264, q.d, true);
  dv.setFloat32(268, q.qx, true);
  dv.setFloat32(272, q.qy, true);
  dv.setFloat32(276, q.qz, true);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) dv.setFloat32(280 + 16 * r + 4 * c, volume.affine[r][c], true);
  out.set([0x6e, 0x2b, 0x31, 0x00], 344); // "n+1\0"
  // bytes 348..351: extension flag 0 (no extensions)
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new NiftiError(path, 'big-endian hosts are not supported');
  return { header: out, data: dataBytes };
}

/** Writes .nii or .nii.gz (chosen by the extension). */
export async function writeNifti(volume: Volume, path: string, options: WriteNiftiOptions = {}): Promise<void> {
  const gzip = /\.gz$/i.test(path);
  if (!/\.nii(\.gz)?$/i.test(path)) throw new NiftiError(path, 'NIfTI output must end in .nii or .nii.gz');
  const { header, data } = niftiParts(volume, { ...options, path });
  if (gzip) {
    // Streamed through zlib in 1 MiB pieces: no copy of the volume, no whole compressed file in memory.
    const CHUNK = 1 << 20;
    async function* pieces() {
      yield header;
      for (let o = 0; o < data.length; o += CHUNK) yield data.subarray(o, Math.min(data.length, o + CHUNK));
    }
    await pipeline(Readable.from(pieces(), { objectMode: false }), createGzip({ level: 6 }), createWriteStream(path));
    return;
  }
  // Header and voxels in one writev, straight from the volume's buffer (no copy of the volume).
  const fh = await open(path, 'w');
  try {
    let written = 0;
    const total = header.length + data.length;
    let bufs = [header, data];
    while (written < total) {
      const { bytesWritten } = await fh.writev(bufs);
      written += bytesWritten;
      if (written < total) {
        // Partial write: continue from where it stopped.
        const rest: Uint8Array[] = [];
        let skip = written;
        for (const b of [header, data]) {
          if (skip >= b.length) skip -= b.length;
          else {
            rest.push(b.subarray(skip));
            skip = 0;
          }
        }
        bufs = rest;
      }
    }
  } finally {
    await fh.close();
  }
}

/** Writes an uncompressed .nii synchronously (header and voxels in one writev, no copy of the volume). */
export function writeNiftiSync(volume: Volume, path: string, options: WriteNiftiOptions = {}): void {
  if (!/\.nii$/i.test(path)) throw new NiftiError(path, 'writeNiftiSync writes .nii only (use writeNifti for .nii.gz)');
  const { header, data } = niftiParts(volume, { ...options, path });
  const fd = fs.openSync(path, 'w');
  try {
    let bufs: Uint8Array[] = [header, data];
    let position = 0;
    while (bufs.length) {
      const n = fs.writevSync(fd, bufs, position);
      position += n;
      // Partial write: continue from where it stopped.
      let skip = n;
      const rest: Uint8Array[] = [];
      for (const b of bufs) {
        if (skip >= b.length) skip -= b.length;
        else {
          rest.push(skip ? b.subarray(skip) : b);
          skip = 0;
        }
      }
      bufs = rest;
    }
  } finally {
    fs.closeSync(fd);
  }
}
