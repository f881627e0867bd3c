// A bound on how long a screen waits for an answer, so that no page shows a spinner forever: the call's own
// answer or error if it comes in time, else a DeadlineError that says what was asked and for how long (the
// server may be busy with an import, or gone). The late answer is dropped.

export class DeadlineError extends Error {
  override name = 'DeadlineError';
}

export function withDeadline<T>(call: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new DeadlineError(`${what}: no answer from the Voxelbase server within ${Math.round(ms / 1000)} s (busy or stopped?)`)),
      ms,
    );
    call.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}
