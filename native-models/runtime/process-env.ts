// Environment for a process that trains with onnxruntime-node: glibc's malloc otherwise raises its mmap threshold
// after the first large free and serves later large blocks from its heap, which it keeps when they are freed, so a
// step's freed activations (the runner turns ORT's CPU arena off) stay in the process: peak RSS of the BYOL step at
// 8 x 64^3 measured 1961 MB without and 1702 MB with a fixed 1 MiB threshold (native-models/README.md, Memory).
// It must be in the environment when the process starts (a child process for training); other C libraries ignore it.
export const TRAINING_PROCESS_ENV: Readonly<Record<string, string>> = { MALLOC_MMAP_THRESHOLD_: '1048576' };
