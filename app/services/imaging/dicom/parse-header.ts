// Reads a DICOM header (everything before the Pixel Data value) into a DicomHeader.
// Attributes: PS3.3 C.7 (patient, study, series), C.7.6.2 (Image Plane: ImagePositionPatient,
// ImageOrientationPatient, PixelSpacing), C.7.6.3 (Image Pixel), C.11.1 (Modality LUT: Rescale),
// C.7.6.16 (Multi-frame Functional Groups, for enhanced CT/MR), Siemens CSA header for mosaics.
import { DicomParseError } from '../errors.js';
import type { DicomFrameInfo, DicomHeader, DicomMosaicInfo, Orientation6, ParseDicomOptions, Vec3 } from '../types.js';
import { readCsaHeader } from './csa-header.js';
import type { DataSet } from './dicom-parser-lib.js';
import { item, items, num, nums, str, us } from './dataset-values.js';
import { readDataSet } from './read-dataset.js';

export { looksLikeDicom } from './read-dataset.js';

const PIXEL_TAGS = ['x7fe00010', 'x7fe00008', 'x7fe00009'];

function vec3(v: number[]): Vec3 | null {
  return v.length >= 3 ? [v[0], v[1], v[2]] : null;
}

function orient6(v: number[]): Orientation6 | null {
  if (v.length < 6) return null;
  const o: Orientation6 = [v[0], v[1], v[2], v[3], v[4], v[5]];
  // All-zero orientation is as good as none.
  return o.some((x) => x !== 0) ? o : null;
}

function spacing2(v: number[]): [number, number] | null {
  return v.length >= 2 && v[0] > 0 && v[1] > 0 ? [v[0], v[1]] : v.length === 1 && v[0] > 0 ? [v[0], v[0]] : null;
}

function complexOf(imageType: string[], ds: DataSet): DicomHeader['complexComponent'] {
  const cic = str(ds, 'x00089208').toUpperCase(); // ComplexImageComponent (enhanced MR)
  const t = new Set(imageType.map((s) => s.toUpperCase()));
  if (cic === 'PHASE' || t.has('P') || t.has('PHASE')) return 'phase';
  if (cic === 'REAL' || t.has('R') || t.has('REAL')) return 'real';
  if (cic === 'IMAGINARY' || t.has('I') || t.has('IMAGINARY')) return 'imaginary';
  return 'magnitude';
}

function frameInfo(index: number, perFrame: DataSet | null, shared: DataSet | null, fallback: DicomHeader): DicomFrameInfo {
  const pick = (tag: string) => item(perFrame, tag) ?? item(shared, tag);
  const pos = pick('x00209113'); // PlanePositionSequence
  const ori = pick('x00209116'); // PlaneOrientationSequence
  const meas = pick('x00289110'); // PixelMeasuresSequence
  const pvt = pick('x00289145'); // PixelValueTransformationSequence
  const content = item(perFrame, 'x00209111'); // FrameContentSequence
  const echo = pick('x00189114'); // MREchoSequence
  const slope = pvt ? num(pvt, 'x00281053') : null;
  const inter = pvt ? num(pvt, 'x00281052') : null;
  const div = content ? nums(content, 'x00209157') : [];
  return {
    index,
    imagePositionPatient: pos ? vec3(nums(pos, 'x00200032')) : fallback.imagePositionPatient,
    imageOrientationPatient: ori ? orient6(nums(ori, 'x00200037')) : fallback.imageOrientationPatient,
    pixelSpacing: meas ? spacing2(nums(meas, 'x00280030')) : fallback.pixelSpacing,
    sliceThickness: meas ? num(meas, 'x00180050') : fallback.sliceThickness,
    rescaleSlope: slope ?? fallback.rescaleSlope,
    rescaleIntercept: inter ?? fallback.rescaleIntercept,
    stackId: content ? str(content, 'x00209056') || null : null,
    inStackPositionNumber: content ? num(content, 'x00209057') : null,
    temporalPositionIndex: content ? num(content, 'x00209128') : null,
    dimensionIndexValues: div.length > 0 ? div : null,
    echoTime: echo ? num(echo, 'x00189082') : fallback.echoTime,
  };
}

function mosaicInfo(ds: DataSet, imageType: string[], bytes: Uint8Array): DicomMosaicInfo {
  const isMosaic = imageType.some((t) => t.toUpperCase() === 'MOSAIC');
  let imagesInMosaic: number | null = null;
  let sliceNormalVector: Vec3 | null = null;
  const sie = ds.elements['x0019100a']; // Siemens NumberOfImagesInMosaic (private, US)
  if (isMosaic && sie && sie.length >= 2) imagesInMosaic = ds.uint16('x0019100a') ?? null;
  const csaEl = ds.elements['x00291010'];
  if (isMosaic && csaEl && csaEl.length > 0 && csaEl.length !== 0xffffffff) {
    const csa = readCsaHeader(bytes.subarray(csaEl.dataOffset, csaEl.dataOffset + csaEl.length));
    if (csa) {
      const n = Number.parseInt(csa.NumberOfImagesInMosaic?.[0] ?? '', 10);
      if (Number.isFinite(n) && n > 0) imagesInMosaic = n;
      const snv = (csa.SliceNormalVector ?? []).map(Number.parseFloat);
      if (snv.length === 3 && snv.every(Number.isFinite)) sliceNormalVector = [snv[0], snv[1], snv[2]];
    }
  }
  return { isMosaic, imagesInMosaic, sliceNormalVector };
}

/**
 * Parses the dataset up to (not including) the Pixel Data value. Handles Part 10 files and raw datasets
 * without preamble (implicit VR LE), explicit VR LE/BE, and deflated explicit VR LE (PS3.5 A.5).
 * Throws DicomParseError (reason: empty, not-dicom, truncated, no-pixel-data, corrupt, incomplete-prefix).
 */
export function parseDicomHeader(bytes: Uint8Array, path: string, options: ParseDicomOptions = {}): DicomHeader {
  const fileSize = options.fileSize ?? bytes.length;
  const parsed = readDataSet(bytes, path, { untilPixelData: true, fileSize });
  const { dataSet: ds, transferSyntaxUid } = parsed;
  const isPrefix = bytes.length < fileSize;
  const dataLength = parsed.dataLength;

  const pixelTag = PIXEL_TAGS.find((t) => ds.elements[t] !== undefined);
  const pixelEl = pixelTag ? ds.elements[pixelTag] : undefined;
  if (!pixelEl) {
    if (isPrefix) throw new DicomParseError(path, 'incomplete-prefix', 'Pixel Data not within the bytes read; read the whole file');
    if (!options.allowNoPixelData) {
      const sop = str(ds, 'x00080016');
      const modality = str(ds, 'x00080060');
      throw new DicomParseError(
        path,
        'no-pixel-data',
        `DICOM without pixel data (modality ${modality || 'unknown'}, SOP class ${sop || 'unknown'})`,
      );
    }
  }
  const encapsulated = pixelEl ? pixelEl.length === 0xffffffff : false;
  if (pixelEl && !encapsulated && pixelEl.dataOffset + pixelEl.length > dataLength) {
    throw new DicomParseError(
      path,
      'truncated',
      `truncated: Pixel Data declares ${pixelEl.length} bytes but only ${Math.max(0, dataLength - pixelEl.dataOffset)} remain`,
    );
  }
  if (pixelEl && encapsulated && pixelEl.dataOffset + 8 > dataLength) {
    throw new DicomParseError(path, 'truncated', 'truncated: encapsulated Pixel Data has no fragments');
  }

  const imageType = str(ds, 'x00080008')
    .split('\\')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const scanningSequence = str(ds, 'x00180020');
  const echoPulse = str(ds, 'x00189018');
  const numberOfFrames = Math.max(1, Math.round(num(ds, 'x00280008') ?? 1));
  const slope = num(ds, 'x00281053');
  const inter = num(ds, 'x00281052');
  const seriesNumber = num(ds, 'x00200011');

  const header: DicomHeader = {
    path,
    fileSize,
    sopInstanceUid: str(ds, 'x00080018'),
    sopClassUid: str(ds, 'x00080016') || str(ds, 'x00020002'),
    transferSyntaxUid,
    patient: { id: str(ds, 'x00100020'), name: str(ds, 'x00100010'), birthDate: str(ds, 'x00100030'), sex: str(ds, 'x00100040') },
    study: {
      uid: str(ds, 'x0020000d'),
      date: str(ds, 'x00080020'),
      time: str(ds, 'x00080030'),
      description: str(ds, 'x00081030'),
      accession: str(ds, 'x00080050'),
      id: str(ds, 'x00200010'),
    },
    series: {
      uid: str(ds, 'x0020000e'),
      number: seriesNumber === null ? null : Math.round(seriesNumber),
      description: str(ds, 'x0008103e'),
      modality: str(ds, 'x00080060'),
      bodyPart: str(ds, 'x00180015'),
      date: str(ds, 'x00080021'),
      time: str(ds, 'x00080031'),
      manufacturer: str(ds, 'x00080070'),
      model: str(ds, 'x00081090'),
      protocol: str(ds, 'x00181030'),
    },
    frameOfReferenceUid: str(ds, 'x00200052'),
    rows: us(ds, 'x00280010') ?? 0,
    columns: us(ds, 'x00280011') ?? 0,
    bitsAllocated: us(ds, 'x00280100') ?? 0,
    bitsStored: us(ds, 'x00280101') ?? us(ds, 'x00280100') ?? 0,
    highBit: us(ds, 'x00280102') ?? (us(ds, 'x00280101') ?? 1) - 1,
    pixelRepresentation: us(ds, 'x00280103') ?? 0,
    samplesPerPixel: us(ds, 'x00280002') ?? 1,
    photometric: str(ds, 'x00280004').toUpperCase() || 'MONOCHROME2',
    planarConfiguration: us(ds, 'x00280006') ?? 0,
    numberOfFrames,
    imagePositionPatient: vec3(nums(ds, 'x00200032')),
    imageOrientationPatient: orient6(nums(ds, 'x00200037')),
    pixelSpacing: spacing2(nums(ds, 'x00280030')) ?? spacing2(nums(ds, 'x00181164')),
    sliceThickness: num(ds, 'x00180050'),
    spacingBetweenSlices: num(ds, 'x00180088'),
    rescaleSlope: slope !== null && slope !== 0 ? slope : 1,
    rescaleIntercept: inter ?? 0,
    hasRescale: slope !== null || inter !== null,
    windowCenter: num(ds, 'x00281050'),
    windowWidth: num(ds, 'x00281051'),
    instanceNumber: num(ds, 'x00200013'),
    acquisitionNumber: num(ds, 'x00200012'),
    acquisitionTime: str(ds, 'x00080032'),
    echoNumber: num(ds, 'x00180086'),
    echoTime: num(ds, 'x00180081'),
    repetitionTime: num(ds, 'x00180080'),
    gantryTilt: num(ds, 'x00181120'),
    imageType,
    isDerived: (imageType[0] ?? '').toUpperCase() === 'DERIVED',
    complexComponent: complexOf(imageType, ds),
    flipAngle: num(ds, 'x00181314'),
    receiveCoil: str(ds, 'x00181250'),
    mrAcquisitionType: str(ds, 'x00180023').toUpperCase(),
    scanningSequence,
    sequenceName: str(ds, 'x00180024'),
    isEpi: /EP/.test(scanningSequence) || echoPulse.toUpperCase().startsWith('Y'),
    xRayExposure: num(ds, 'x00181152'),
    hasPixelData: pixelEl !== undefined,
    pixelData: pixelEl ? { offset: pixelEl.dataOffset, length: encapsulated ? -1 : pixelEl.length, encapsulated } : null,
    isEnhanced: false,
    frames: null,
    mosaic: mosaicInfo(ds, imageType, parsed.bytes),
    warnings: parsed.warnings,
  };

  // Enhanced multi-frame: per-frame functional groups (PS3.3 C.7.6.16).
  const perFrame = items(ds, 'x52009230');
  const shared = item(ds, 'x52009229');
  if (perFrame.length > 0 || shared) {
    header.isEnhanced = perFrame.length > 0;
    const frames: DicomFrameInfo[] = [];
    for (let f = 0; f < numberOfFrames; f++) frames.push(frameInfo(f, perFrame[f] ?? null, shared, header));
    header.frames = frames;
    // Lift the shared / first-frame geometry to the top level where the classic attributes are absent.
    const f0 = frames[0];
    if (f0) {
      header.imageOrientationPatient ??= f0.imageOrientationPatient;
      header.imagePositionPatient ??= f0.imagePositionPatient;
      header.pixelSpacing ??= f0.pixelSpacing;
      header.sliceThickness ??= f0.sliceThickness;
      if (!header.hasRescale && (f0.rescaleSlope !== 1 || f0.rescaleIntercept !== 0)) {
        header.rescaleSlope = f0.rescaleSlope;
        header.rescaleIntercept = f0.rescaleIntercept;
        header.hasRescale = true;
      }
      header.echoTime ??= f0.echoTime;
    }
    const mrFrame = item(shared, 'x00189226') ?? item(perFrame[0], 'x00189226'); // MRImageFrameTypeSequence
    if (mrFrame && header.imageType.length === 0) {
      header.imageType = str(mrFrame, 'x00089007').split('\\').filter(Boolean);
    }
    const mrTiming = item(shared, 'x00189112'); // MRTimingAndRelatedParametersSequence
    if (mrTiming) {
      header.repetitionTime ??= num(mrTiming, 'x00180080');
      header.flipAngle ??= num(mrTiming, 'x00181314');
    }
  }

  if (header.hasPixelData && (header.rows === 0 || header.columns === 0 || header.bitsAllocated === 0)) {
    throw new DicomParseError(path, 'corrupt', 'Pixel Data present but Rows, Columns or BitsAllocated missing');
  }
  return header;
}
