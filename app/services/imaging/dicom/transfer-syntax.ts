// Transfer syntaxes Voxelbase knows: encoding of the dataset and which codec decodes the pixels.
// Source: DICOM PS3.5 §10 and Annex A (transfer syntax definitions), PS3.6 Annex A (UID registry).

export interface TransferSyntaxInfo {
  uid: string;
  name: string;
  /** Which decoder handles the pixels. */
  codec:
    | 'native'
    | 'rle'
    | 'jpeg-baseline'
    | 'jpeg-extended-12'
    | 'jpeg-lossless'
    | 'jpeg-ls'
    | 'jpeg2000'
    | 'htj2k'
    | 'unsupported';
  explicitVr: boolean;
  littleEndian: boolean;
  deflated: boolean;
  encapsulated: boolean;
  lossy: boolean;
}

export const IMPLICIT_VR_LE = '1.2.840.10008.1.2';
export const EXPLICIT_VR_LE = '1.2.840.10008.1.2.1';
export const DEFLATED_EXPLICIT_VR_LE = '1.2.840.10008.1.2.1.99';
export const EXPLICIT_VR_BE = '1.2.840.10008.1.2.2';

type Row = [uid: string, name: string, codec: TransferSyntaxInfo['codec'], lossy: boolean];

const ENCAPSULATED: Row[] = [
  ['1.2.840.10008.1.2.5', 'RLE Lossless', 'rle', false],
  ['1.2.840.10008.1.2.4.50', 'JPEG Baseline (Process 1)', 'jpeg-baseline', true],
  ['1.2.840.10008.1.2.4.51', 'JPEG Extended (Process 2 & 4)', 'jpeg-extended-12', true],
  ['1.2.840.10008.1.2.4.57', 'JPEG Lossless, Non-Hierarchical (Process 14)', 'jpeg-lossless', false],
  ['1.2.840.10008.1.2.4.70', 'JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 SV1)', 'jpeg-lossless', false],
  ['1.2.840.10008.1.2.4.80', 'JPEG-LS Lossless', 'jpeg-ls', false],
  ['1.2.840.10008.1.2.4.81', 'JPEG-LS Lossy (Near-Lossless)', 'jpeg-ls', true],
  ['1.2.840.10008.1.2.4.90', 'JPEG 2000 (Lossless Only)', 'jpeg2000', false],
  ['1.2.840.10008.1.2.4.91', 'JPEG 2000', 'jpeg2000', true],
  ['1.2.840.10008.1.2.4.201', 'High-Throughput JPEG 2000 (Lossless Only)', 'htj2k', false],
  ['1.2.840.10008.1.2.4.202', 'High-Throughput JPEG 2000 with RPCL Options (Lossless Only)', 'htj2k', false],
  ['1.2.840.10008.1.2.4.203', 'High-Throughput JPEG 2000', 'htj2k', true],
];

const TABLE = new Map<string, TransferSyntaxInfo>();
const native = (uid: string, name: string, explicitVr: boolean, littleEndian: boolean, deflated: boolean) =>
  TABLE.set(uid, { uid, name, codec: 'native', explicitVr, littleEndian, deflated, encapsulated: false, lossy: false });
native(IMPLICIT_VR_LE, 'Implicit VR Little Endian', false, true, false);
native(EXPLICIT_VR_LE, 'Explicit VR Little Endian', true, true, false);
native(DEFLATED_EXPLICIT_VR_LE, 'Deflated Explicit VR Little Endian', true, true, true);
native(EXPLICIT_VR_BE, 'Explicit VR Big Endian (retired)', true, false, false);
for (const [uid, name, codec, lossy] of ENCAPSULATED) {
  TABLE.set(uid, { uid, name, codec, explicitVr: true, littleEndian: true, deflated: false, encapsulated: true, lossy });
}

/** Facts about a transfer syntax; unknown UIDs come back as encapsulated with codec 'unsupported'. */
export function transferSyntaxInfo(uid: string): TransferSyntaxInfo {
  const known = TABLE.get(uid);
  if (known) return known;
  return {
    uid,
    name: `Unknown transfer syntax ${uid}`,
    codec: 'unsupported',
    explicitVr: true,
    littleEndian: true,
    deflated: false,
    encapsulated: true,
    lossy: false,
  };
}

export function isSupportedTransferSyntax(uid: string): boolean {
  return transferSyntaxInfo(uid).codec !== 'unsupported';
}
