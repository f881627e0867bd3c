// Transfer syntaxes Voxelbase knows (PS3.5 §10, PS3.6 Annex A): name, encoding, codec. Not implemented yet.

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

export function transferSyntaxInfo(uid: string): TransferSyntaxInfo {
  void uid;
  throw new Error('not implemented');
}

export function isSupportedTransferSyntax(uid: string): boolean {
  void uid;
  throw new Error('not implemented');
}
