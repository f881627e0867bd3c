// Seeded, counter-based random numbers: Philox4x32-10.
// Source: J. K. Salmon, M. A. Moraes, R. O. Dror, D. E. Shaw, "Parallel random numbers: as easy as 1, 2, 3",
// SC'11 (Random123). Round: (L0,R0,L1,R1) -> (hi(M1*R1)^k0^L1, lo(M1*R1), hi(M0*R0)^k1^L0, lo(M0*R0)) on the
// counter words (c0,c1,c2,c3) with M0=0xD2511F53, M1=0xCD9E8D57 and the key bumped by W0=0x9E3779B9,
// W1=0xBB67AE85 between rounds; 10 rounds. Known-answer vectors from Random123's kat_vectors are in the test.
// Normals come from Box-Muller on pairs of uniforms in (0, 1].

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/** High 32 bits of the unsigned 32x32 product. */
function mulhi(a: number, b: number): number {
  const aLo = a & 0xffff, aHi = a >>> 16, bLo = b & 0xffff, bHi = b >>> 16;
  const lolo = aLo * bLo;
  const mid1 = aHi * bLo;
  const mid2 = aLo * bHi;
  const carry = ((lolo >>> 16) + (mid1 & 0xffff) + (mid2 & 0xffff)) >>> 16;
  return (aHi * bHi + (mid1 >>> 16) + (mid2 >>> 16) + carry) >>> 0;
}

/** One Philox4x32-10 block: 4 counter words and 2 key words in, 4 random words out. */
export function philox4x32(ctr: readonly number[], key: readonly number[]): [number, number, number, number] {
  let c0 = ctr[0] >>> 0, c1 = ctr[1] >>> 0, c2 = ctr[2] >>> 0, c3 = ctr[3] >>> 0;
  let k0 = key[0] >>> 0, k1 = key[1] >>> 0;
  for (let r = 0; r < 10; r++) {
    const hi0 = mulhi(M0, c0), lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulhi(M1, c2), lo1 = Math.imul(M1, c2) >>> 0;
    const n0 = (hi1 ^ c1 ^ k0) >>> 0, n2 = (hi0 ^ c3 ^ k1) >>> 0;
    c0 = n0; c1 = lo1; c2 = n2; c3 = lo0;
    k0 = (k0 + W0) >>> 0; k1 = (k1 + W1) >>> 0;
  }
  return [c0, c1, c2, c3];
}

/** A stream of random numbers fixed by (seed, stream): the same pair always gives the same numbers. */
export class Philox {
  private counter = 0;
  private buf: number[] = [];
  private readonly key: [number, number];
  private readonly stream: number;

  constructor(seed: number, stream = 0) {
    this.key = [seed >>> 0, Math.floor(seed / 2 ** 32) >>> 0];
    this.stream = stream >>> 0;
  }

  /** Next 32-bit unsigned integer. */
  nextU32(): number {
    if (this.buf.length === 0) {
      const c = this.counter++;
      this.buf = philox4x32([c >>> 0, Math.floor(c / 2 ** 32) >>> 0, this.stream, 0], this.key).reverse();
    }
    return this.buf.pop()!;
  }

  /** Uniform in (0, 1], 32-bit resolution. */
  uniform(): number {
    return (this.nextU32() + 1) / 2 ** 32;
  }

  /** Standard normal by Box-Muller (uses two uniforms per value; the cosine branch only, for simplicity). */
  normal(): number {
    const u1 = this.uniform();
    const u2 = this.uniform();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}

/** Derive a stream id from a parameter name (FNV-1a 32-bit), so each tensor's values do not depend on creation order. */
export function streamOf(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
