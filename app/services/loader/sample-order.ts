// Which cache entry sample s of a run uses: epochs of N samples (N = entries), each a seeded permutation
// of the entries (Fisher-Yates on stream (seed, epoch)), sample s = the (s mod N)-th of epoch floor(s / N).
// Batch k holds samples kB .. kB + B - 1. So a batch depends only on (seed, k), never on the number of
// worker threads or their timing, and a run resumes exactly from any batch index.
import { Random } from '../augment/index.js';

/** Epoch permutations kept (a batch spans at most two epochs, a few workers a few batches). */
const KEEP = 4;

export class SampleOrder {
  private readonly perms = new Map<number, Uint32Array>();

  constructor(
    readonly seed: number,
    readonly entries: number,
  ) {}

  /** Entry index of global sample `s`. */
  entryOf(s: number): number {
    const epoch = Math.floor(s / this.entries);
    let p = this.perms.get(epoch);
    if (!p) {
      p = new Random(this.seed, epoch, 0x65706f63).permutation(this.entries);
      this.perms.set(epoch, p);
      if (this.perms.size > KEEP) this.perms.delete(this.perms.keys().next().value!);
    }
    return p[s - epoch * this.entries];
  }
}
