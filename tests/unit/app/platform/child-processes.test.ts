// app/platform/child-processes.ts: a TypeScript entry runs as a Node child with an IPC channel, gets the environment
// it is given (and only that), exchanges structured-cloned messages (typed arrays survive), and its exit code comes
// back.
import { describe, expect, it } from 'vitest';
import { forkChild } from '../../../../app/platform/child-processes.js';

describe('forkChild', () => {
  it('runs a TypeScript entry with the given environment and exchanges structured-cloned messages', async () => {
    const child = forkChild(import.meta.url, './fixtures/echo-child.js', { env: { ...process.env, VB_CHILD_PROBE: 'from the parent' } });
    const reply = await new Promise<{ got: { a: Float32Array; n: number }; probe: string; pid: number; file: string }>((resolve, reject) => {
      child.once('message', resolve as (m: unknown) => void);
      child.once('error', reject);
      child.send({ data: { a: Float32Array.from([1.5, -2]), n: 7 } });
    });
    expect(reply.got.a).toBeInstanceOf(Float32Array);
    expect(Array.from(reply.got.a)).toEqual([1.5, -2]);
    expect(reply.got.n).toBe(7);
    expect(reply.probe).toBe('from the parent');
    expect(reply.pid).toBe(child.pid);
    expect(reply.pid).not.toBe(process.pid);
    expect(reply.file).toMatch(/echo-child\.ts$/);
    const code = await new Promise<number | null>((resolve) => {
      child.once('exit', resolve);
      child.send({ exit: 3 });
    });
    expect(code).toBe(3);
  });

  it('gives the child no variable the parent did not pass', async () => {
    const env = { ...process.env };
    delete env.VB_CHILD_PROBE;
    const child = forkChild(import.meta.url, './fixtures/echo-child.js', { env });
    const reply = await new Promise<{ probe: string | null }>((resolve) => {
      child.once('message', resolve as (m: unknown) => void);
      child.send({ data: null });
    });
    child.kill();
    expect(reply.probe).toBeNull();
  });
});
