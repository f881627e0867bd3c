// Reusable voxel buffers for code that loads one volume at a time and lets it go before the next (the
// import workers: load, thumbnails, NIfTI write, next series). Fresh memory is not free: every 4 KiB page
// of a new ArrayBuffer is zero-filled by the kernel on first touch, and in worker threads glibc hands
// freed large blocks back to the kernel (MADV_DONTNEED), so each series faulted its whole volume in again
// (measured: 45k page faults and ~1 s of system time for 40 series of 4 MB; dcm2niix, whose malloc
// reuses the freed block, had 7.8k). An arena keeps a few buffers and hands them out again after reset().
//
// Rules: take() never hands out a buffer twice between resets; a volume built on a taken buffer is only
// valid until the next reset() (never post it to another thread or keep it in a cache). Buffers beyond
// `maxRetainedBytes` in total are plain allocations that are not kept.

export class VoxelArena {
  private readonly kept: ArrayBuffer[] = [];
  private taken = 0;

  constructor(readonly maxRetainedBytes = 128 * 1024 * 1024) {}

  /** A buffer of at least `bytes` bytes, not handed out since the last reset(). */
  take(bytes: number): ArrayBuffer {
    // The smallest kept buffer not in use that is large enough.
    let best = -1;
    for (let i = this.taken; i < this.kept.length; i++) {
      if (this.kept[i].byteLength >= bytes && (best < 0 || this.kept[i].byteLength < this.kept[best].byteLength)) best = i;
    }
    if (best >= 0) return this.handOut(best);
    // None fits: the largest free buffer (too small) is replaced by a new one, within the budget.
    let small = -1;
    for (let i = this.taken; i < this.kept.length; i++) if (small < 0 || this.kept[i].byteLength > this.kept[small].byteLength) small = i;
    const freed = small >= 0 ? this.kept[small].byteLength : 0;
    if (this.retained() - freed + bytes > this.maxRetainedBytes) return new ArrayBuffer(bytes);
    const buf = new ArrayBuffer(bytes);
    if (small >= 0) this.kept[small] = buf;
    else this.kept.push(buf);
    return this.handOut(small >= 0 ? small : this.kept.length - 1);
  }

  /** Every buffer handed out is free again (the volumes built on them must no longer be used). */
  reset(): void {
    this.taken = 0;
  }

  /** Lets the kept buffers go (idle worker). */
  release(): void {
    this.kept.length = 0;
    this.taken = 0;
  }

  /** Bytes kept for reuse. */
  retained(): number {
    let n = 0;
    for (const b of this.kept) n += b.byteLength;
    return n;
  }

  private handOut(i: number): ArrayBuffer {
    // Keep handed-out buffers in front of the free ones.
    const buf = this.kept[i];
    this.kept[i] = this.kept[this.taken];
    this.kept[this.taken] = buf;
    this.taken++;
    return buf;
  }
}

/** A typed array of `length` elements of `Ctor`'s kind on an arena buffer (or a new one without arena). */
export function allocVoxels<T extends ArrayBufferView>(
  Ctor: { new (length: number): T; new (buffer: ArrayBuffer, byteOffset: number, length: number): T; BYTES_PER_ELEMENT: number },
  length: number,
  arena?: VoxelArena,
): T {
  if (!arena) return new Ctor(length);
  return new Ctor(arena.take(length * Ctor.BYTES_PER_ELEMENT), 0, length);
}
