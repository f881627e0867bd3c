// Turns parsed headers into the 2-D images that assembly stacks: one per single-frame file, one per frame
// of an enhanced multi-frame object (per-frame position, orientation, rescale and echo from the
// Per-Frame Functional Groups, PS3.3 C.7.6.16), one per frame of a classic multi-frame object.
import type { DicomHeader, Orientation6 } from '../types.js';
import type { StackImage } from './sort-slices.js';
import type { FrameShape } from './stacking-rules.js';

export interface AssemblyImage extends StackImage, FrameShape {
  orientation: Orientation6 | null;
}

export function expandFrames(header: DicomHeader): AssemblyImage[] {
  const base = {
    path: header.path,
    sopInstanceUid: header.sopInstanceUid,
    instanceNumber: header.instanceNumber,
    transferSyntaxUid: header.transferSyntaxUid,
    ...(header.pixelData && !header.pixelData.encapsulated ? { pixelOffset: header.pixelData.offset } : {}),
  };
  if (header.frames && header.frames.length > 0) {
    return header.frames.map((f) => ({
      header,
      orientation: f.imageOrientationPatient ?? header.imageOrientationPatient,
      echoTime: f.echoTime ?? header.echoTime,
      ref: { ...base, frame: f.index, position: f.imagePositionPatient, rescaleSlope: f.rescaleSlope, rescaleIntercept: f.rescaleIntercept },
      order: [f.temporalPositionIndex ?? 0, ...(f.dimensionIndexValues ?? []), f.index],
    }));
  }
  const out: AssemblyImage[] = [];
  for (let f = 0; f < header.numberOfFrames; f++) {
    out.push({
      header,
      orientation: header.imageOrientationPatient,
      echoTime: header.echoTime,
      ref: {
        ...base,
        frame: f,
        // Classic multi-frame objects carry one position for all frames: no per-frame geometry.
        position: header.numberOfFrames > 1 ? null : header.imagePositionPatient,
        rescaleSlope: header.rescaleSlope,
        rescaleIntercept: header.rescaleIntercept,
      },
      order: [header.instanceNumber ?? 0, f],
    });
  }
  return out;
}
