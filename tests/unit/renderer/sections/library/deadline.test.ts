// withDeadline (renderer/src/sections/library/deadline.ts): the answer in time, the call's own error, or an error
// naming what was asked once the bound has passed.
import { describe, expect, it } from 'vitest';
import { withDeadline } from '../../../../../renderer/src/sections/library/deadline.js';

const later = <T>(ms: number, v: T) => new Promise<T>((r) => setTimeout(() => r(v), ms));

describe('withDeadline', () => {
  it('passes an answer or an error that comes in time', async () => {
    await expect(withDeadline(later(5, 42), 200, 'series 3')).resolves.toBe(42);
    await expect(withDeadline(Promise.reject(new Error('no series with id 3')), 200, 'series 3')).rejects.toThrow('no series with id 3');
  });

  it('rejects with what was asked when the answer is late', async () => {
    await expect(withDeadline(later(300, 1), 20, 'series 3')).rejects.toMatchObject({
      name: 'DeadlineError',
      message: expect.stringMatching(/^series 3: no answer from the Voxelbase server within 0 s/),
    });
  });
});
