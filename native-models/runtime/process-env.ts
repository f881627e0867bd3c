// Environment for a process that trains with onnxruntime-node (the runner turns ORT's CPU arena off, so every large
// activation of a step is a malloc / free of glibc's). Both settings are read by glibc when the process starts, so
// training runs in a child process started with them (app/workers/trainer-process.ts, bench/train-step.ts); other C
// libraries ignore them. Measured on the BYOL ResNet-18 step at 8 x 2 views x 64^3 (AMD EPYC Zen 2, 2 threads,
// native-models/README.md, Memory):
// - MALLOC_MMAP_THRESHOLD_ fixed at 8 MiB: glibc otherwise raises its threshold after the first large free and
//   serves later large blocks from its heap, which it keeps: peak RSS 1689-1729 MB with glibc's default, 1835 MB
//   with everything on the heap, 1561-1599 MB at 8 MiB, 1446-1480 MB at 1 MiB. Blocks above the threshold are
//   fresh mmaps whose pages the kernel faults in and zeroes on every step: 5.81 s per step at 1 MiB.
// - glibc.malloc.hugetlb=1: glibc asks for transparent huge pages on its mmapped blocks (madvise), 2 MiB faults
//   instead of 4 KiB ones (4.15M -> 0.24M minor faults per run): with the 8 MiB threshold 5.45 s per step.
// glibc before 2.35 ignores the tunable; a kernel with transparent huge pages off ignores the advice.

const MMAP_THRESHOLD = String(8 << 20);
const TUNABLES = 'glibc.malloc.hugetlb=1';

/** `base` (a process environment) with the training process's allocator settings added. */
export function trainingProcessEnv(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const tunables = base.GLIBC_TUNABLES ? `${base.GLIBC_TUNABLES}:${TUNABLES}` : TUNABLES;
  return { ...base, MALLOC_MMAP_THRESHOLD_: MMAP_THRESHOLD, GLIBC_TUNABLES: tunables };
}
