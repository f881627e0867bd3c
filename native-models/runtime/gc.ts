// onnxruntime-node 1.30 returns every fetched output as a fresh JS copy, even when the caller pre-allocated the output
// buffer (its OrtValueToNapiValue memcpys into a new ArrayBuffer; checked: the returned tensor's buffer is not the
// one passed in). A train step's new parameters and optimiser state (432 MiB for ResNet-18 with its heads) thus
// come back twice; the runner drops the copies at once, but V8 frees them at its next full collection, which may
// come only after the next step has allocated its activations: +424 MiB of peak RSS at 8 x 64^3, measured. A full
// collection right after each run frees them before the next step (a few ms with the runner's small JS heap).
// `gc` is exposed with V8's --expose-gc flag set at run time, read back through a fresh context (the documented
// use of v8.setFlagsFromString); where that is refused, nothing happens.
// Two details decide whether the copies are really gone before the next step (measured with RSS sampled around
// steps, BYOL ResNet-18 at 2 x 64^3): the runner collects one macrotask after the run (in the same turn, the
// resolved run's record of copies is still reachable and nothing was freed), and V8 frees the backing stores of dead
// ArrayBuffers on a background thread after the collection unless --no-concurrent-array-buffer-sweeping is set,
// which this module sets with --expose-gc (RSS right after the collection 1016 MB with it on, 590 MB off; the
// next step's activations would otherwise be allocated while part of the 432 MiB is still held).
import v8 from 'node:v8';
import vm from 'node:vm';

let gc: (() => void) | null | undefined;

/** Runs a full garbage collection; false where the runtime does not allow it. */
export function collectGarbage(): boolean {
  if (gc === undefined) {
    try {
      const exposed = (globalThis as { gc?: () => void }).gc;
      if (!exposed) v8.setFlagsFromString('--expose-gc');
      v8.setFlagsFromString('--no-concurrent-array-buffer-sweeping');
      gc = exposed ?? (vm.runInNewContext('gc') as () => void);
    } catch {
      gc = null;
    }
  }
  gc?.();
  return !!gc;
}
