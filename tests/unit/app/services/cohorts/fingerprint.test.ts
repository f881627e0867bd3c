// The members fingerprint: independent of member order, blind to paths and ids (not given to it), and changed by
// every change of content it covers (a file's size or mtime, a file gone, a member added, gone or re-keyed);
// checked against a SHA-256 of the documented text computed here.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { membersFingerprint, type FingerprintMember } from '../../../../../app/services/cohorts/fingerprint.js';

const a: FingerprintMember = { seriesUid: '1.2.3', volumeKey: '', files: [{ size: 100, mtimeMs: 1000 }, { size: 200, mtimeMs: 2000 }] };
const b: FingerprintMember = { seriesUid: '1.2.4', volumeKey: 'echo 2', files: [{ size: 50, mtimeMs: 3000 }] };

describe('membersFingerprint', () => {
  it('is SHA-256 of the documented text, members in UID order', () => {
    const text = 'voxelbase-members-v1\n2\nS "1.2.3" "" 2\nF 100 1000\nF 200 2000\nS "1.2.4" "echo 2" 1\nF 50 3000\n';
    expect(membersFingerprint([b, a])).toBe(createHash('sha256').update(text).digest('hex'));
    expect(membersFingerprint([a, b])).toBe(membersFingerprint([b, a]));
  });
  it('changes with any change of what it covers', () => {
    const base = membersFingerprint([a, b]);
    const variants: FingerprintMember[][] = [
      [a],
      [a, b, { seriesUid: '1.2.5', volumeKey: '', files: [] }],
      [{ ...a, files: [{ size: 101, mtimeMs: 1000 }, a.files![1]] }],
      [{ ...a, files: [{ size: 100, mtimeMs: 1001 }, a.files![1]] }, b],
      [{ ...a, files: [null, a.files![1]] }, b],
      [{ ...a, files: null }, b],
      [a, { ...b, volumeKey: 'echo 3' }],
      [a, { ...b, seriesUid: '1.2.40' }],
    ];
    const seen = new Set([base]);
    for (const v of variants) seen.add(membersFingerprint(v));
    expect(seen.size).toBe(variants.length + 1);
  });
  it('cannot be forged by a UID that contains the text of another member', () => {
    const forged: FingerprintMember = { seriesUid: '1.2.3" "" 2\nF 100 1000\nF 200 2000\nS "1.2.4', volumeKey: 'echo 2', files: b.files };
    expect(membersFingerprint([forged])).not.toBe(membersFingerprint([a, b]));
  });
});
