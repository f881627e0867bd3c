// Which files of a plan cannot give their pixels: every frame the plan uses is read and decoded file by
// file, and each file that fails (unreadable, no longer parseable, a codec error, a frame of the wrong
// size) is reported once with the reason. loadVolume stops at the first bad slice; this is what the import
// runs after such a failure, to leave the bad files out of their series and keep the rest.
import type { ReadFileFn, VolumePlan } from '../types.js';
import { decodeFrame } from '../dicom/pixel-decoder.js';
import { openSliceFile, readFileFromDiskSync } from './load-volume.js';

export interface UndecodableFile {
  path: string;
  /** Names the file and what failed (the PixelDecodeError / DicomParseError message). */
  message: string;
}

export async function undecodableFiles(plan: VolumePlan, readFile: ReadFileFn = readFileFromDiskSync): Promise<UndecodableFile[]> {
  const framesOf = new Map<string, Set<number>>();
  for (const s of plan.slices) {
    let frames = framesOf.get(s.path);
    if (!frames) framesOf.set(s.path, (frames = new Set()));
    frames.add(s.frame);
  }
  const expected = plan.mosaic ? null : plan.header.columns * plan.header.rows * Math.max(1, plan.components);
  const bad: UndecodableFile[] = [];
  for (const [path, frames] of framesOf) {
    try {
      const { parsed, header } = openSliceFile(plan, path, await readFile(path));
      for (const frame of frames) {
        const { data } = await decodeFrame(parsed, header, frame);
        if (expected !== null && data.length !== expected) throw new Error(`${path}: frame ${frame} has ${data.length} samples, expected ${expected}`);
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      bad.push({ path, message: message.includes(path) ? message : `${path}: ${message}` });
    }
  }
  return bad;
}
