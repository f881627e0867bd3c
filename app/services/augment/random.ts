// Seeded random numbers for augmentations: one independent stream per (seed, sample, stream), so that a
// sample's draws depend only on the seed and the sample's index, never on which thread makes it or when.
// Generator: sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, PractRand), seeded through the
// MurmurHash3 32-bit finaliser of the key words and warmed up 15 rounds. Normals by Box-Muller (both
// branches). Not the engine's Philox: native-models' public module loads onnxruntime, which every loader
// worker would then carry; the loader needs speed (a normal per voxel for noise), not cross-platform
// counter-based reproducibility with the engine.
const fmix = (h: number): number => {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
};

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare = NaN;

  /** A stream fixed by its key words (e.g. seed, sample index, stream id); integers up to 2^53. */
  constructor(...key: number[]) {
    let h = 0x9e3779b9;
    for (const k of key) {
      h = fmix(h ^ (k >>> 0));
      h = fmix(h ^ (Math.floor(k / 2 ** 32) >>> 0) ^ 0x7f4a7c15);
    }
    this.a = h;
    this.b = fmix(h ^ 0x243f6a88);
    this.c = fmix(h ^ 0xb7e15162);
    this.d = 1;
    for (let i = 0; i < 15; i++) this.u32();
  }

  /** Next 32-bit unsigned integer (sfc32). */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** Log-uniform in [lo, hi] (lo, hi > 0). */
  logRange(lo: number, hi: number): number {
    return Math.exp(this.range(Math.log(lo), Math.log(hi)));
  }

  /** True with probability p (p <= 0 never draws, so an off augmentation costs no random number). */
  chance(p: number): boolean {
    if (p <= 0) return false;
    if (p >= 1) return true;
    return this.uniform() < p;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Standard normal (Box-Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (this.spare === this.spare) {
      const s = this.spare;
      this.spare = NaN;
      return s;
    }
    let u = this.uniform();
    if (u === 0) u = 2 ** -32;
    const r = Math.sqrt(-2 * Math.log(u));
    const t = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(t);
    return r * Math.cos(t);
  }

  /** Fisher-Yates permutation of 0..n-1. */
  permutation(n: number): Uint32Array {
    const p = new Uint32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
