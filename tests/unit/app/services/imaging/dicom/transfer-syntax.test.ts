import { describe, expect, it } from 'vitest';
import { isSupportedTransferSyntax, transferSyntaxInfo } from '../../../../../../app/services/imaging/index.js';

describe('transfer syntax table (PS3.5 §10, PS3.6 Annex A)', () => {
  it.each([
    ['1.2.840.10008.1.2', 'native', false, true],
    ['1.2.840.10008.1.2.1', 'native', true, true],
    ['1.2.840.10008.1.2.1.99', 'native', true, true],
    ['1.2.840.10008.1.2.2', 'native', true, false],
    ['1.2.840.10008.1.2.5', 'rle', true, true],
    ['1.2.840.10008.1.2.4.50', 'jpeg-baseline', true, true],
    ['1.2.840.10008.1.2.4.51', 'jpeg-extended-12', true, true],
    ['1.2.840.10008.1.2.4.57', 'jpeg-lossless', true, true],
    ['1.2.840.10008.1.2.4.70', 'jpeg-lossless', true, true],
    ['1.2.840.10008.1.2.4.80', 'jpeg-ls', true, true],
    ['1.2.840.10008.1.2.4.81', 'jpeg-ls', true, true],
    ['1.2.840.10008.1.2.4.90', 'jpeg2000', true, true],
    ['1.2.840.10008.1.2.4.91', 'jpeg2000', true, true],
    ['1.2.840.10008.1.2.4.201', 'htj2k', true, true],
    ['1.2.840.10008.1.2.4.202', 'htj2k', true, true],
    ['1.2.840.10008.1.2.4.203', 'htj2k', true, true],
  ])('%s -> %s', (uid, codec, explicit, le) => {
    const info = transferSyntaxInfo(uid);
    expect(info.codec).toBe(codec);
    expect(info.explicitVr).toBe(explicit);
    expect(info.littleEndian).toBe(le);
    expect(isSupportedTransferSyntax(uid)).toBe(true);
  });

  it('unknown syntaxes (MPEG-2) are unsupported', () => {
    expect(isSupportedTransferSyntax('1.2.840.10008.1.2.4.100')).toBe(false);
    expect(transferSyntaxInfo('1.2.840.10008.1.2.4.100').name).toMatch(/Unknown/);
  });

  it('deflate is flagged deflated, lossy syntaxes lossy', () => {
    expect(transferSyntaxInfo('1.2.840.10008.1.2.1.99').deflated).toBe(true);
    expect(transferSyntaxInfo('1.2.840.10008.1.2.4.50').lossy).toBe(true);
    expect(transferSyntaxInfo('1.2.840.10008.1.2.4.90').lossy).toBe(false);
  });
});
