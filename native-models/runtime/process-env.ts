// Environment for a process that trains with onnxruntime-node (the runner turns ORT's CPU arena off, so every large
// activation of a step is a malloc / free of glibc's). Both settings are read by glibc when the process starts, so
// training runs in a child process started with them (app/workers/trainer-process.ts, bench/train-step.ts); other C
// libraries ignore them. Measured on the BYOL ResNet-18 step at 8 x 2 views x 64^3 (AMD EPYC Zen 2, 2 threads,
// native-models/README.md, Memory):
// - MALLOC_MMAP_THRESHOLD_ fixed at 1 MiB: glibc otherwise raises its threshold after the first large free and
//   serves later large blocks from its heap, which it keeps: peak RSS 1689-1729 MB with glibc's default, 1835 MB
//   with everything on the heap, 1446-1483 MB at 1 MiB (1561-1600 MB at 8 MiB, no faster).
// - glibc.malloc.hugetlb=1: glibc asks for transparent huge pages on its mmapped blocks (madvise): a block above the
//   threshold is a fresh mmap whose pages the kernel faults in and zeroes on every step, in 2 MiB pages instead of
//   4 KiB ones (4.15M -> 0.58M minor faults per run): 5.81 -> 5.54 s per step at the time.
// glibc before 2.35 ignores the tunable; a kernel with transparent huge pages off ignores the advice.

const MMAP_THRESHOLD = String(1 << 20);
const TUNABLES = 'glibc.malloc.hugetlb=1';

/** `base` (a process environment) with the training process's allocator settings added. */
export function trainingProcessEnv(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const tunables = base.GLIBC_TUNABLES ? `${base.GLIBC_TUNABLES}:${TUNABLES}` : TUNABLES;
  return { ...base, MALLOC_MMAP_THRESHOLD_: MMAP_THRESHOLD, GLIBC_TUNABLES: tunables };
}
