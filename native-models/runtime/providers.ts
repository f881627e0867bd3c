// Which onnxruntime-node execution providers actually work on this machine, found by TRYING each one:
// create a tiny InferenceSession (c = a + b on float[1]) with only that provider and run it once.
// A provider that merely "is listed" (ort.listSupportedBackends) can still fail to load its libraries
// (CUDA without the CUDA runtime, WebGPU without an adapter), so listing is not enough.
//
// The probe model is a hand-encoded ONNX ModelProto (protobuf wire format, field numbers from
// onnx/onnx.proto: ModelProto.ir_version=1, graph=7, opset_import=8; GraphProto.node=1, name=2, input=11,
// output=12; NodeProto.input=1, output=2, op_type=4; ValueInfoProto.name=1, type=2;
// TypeProto.tensor_type=1; Tensor.elem_type=1 (FLOAT=1), shape=2; TensorShapeProto.dim=1; dim_value=1),
// so that the probe loads no protobuf schema.
//
// The probe runs in a child process (Node, or Electron as Node): a broken GPU driver can abort the whole
// process while loading a provider, and ORT logs provider load failures straight to stderr; the child
// keeps both away from the app. If the child cannot be started, the probe runs in-process.
import ort from 'onnxruntime-node';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

export interface ProviderStatus {
  name: string;
  works: boolean;
  /** Why it failed, or what it ran on. */
  detail?: string;
}

export const PROBED_PROVIDERS = ['cpu', 'cuda', 'webgpu'] as const;

let cached: Promise<ProviderStatus[]> | undefined;

/** Probes once per process; later calls return the same result. */
export function probeProviders(): Promise<ProviderStatus[]> {
  cached ??= probeAll();
  return cached;
}

async function probeAll(): Promise<ProviderStatus[]> {
  // One child per provider, in parallel: a crash while loading one cannot hide the others.
  return Promise.all(
    PROBED_PROVIDERS.map((name) => probeInChild(name).catch(() => probeOne(name, additionModel(), ort))),
  );
}

const CHILD_TIMEOUT_MS = 60_000;

/** Probes one provider in a fresh child process; rejects only when the child could not run at all. */
function probeInChild(name: string): Promise<ProviderStatus> {
  const ortUrl = pathToFileURL(createRequire(import.meta.url).resolve('onnxruntime-node')).href;
  const model = Buffer.from(additionModel()).toString('base64');
  const code = `
    const ort = (await import(${JSON.stringify(ortUrl)})).default;
    const probeOne = ${probeOne.toString()};
    const firstLine = ${firstLine.toString()};
    const r = await probeOne(${JSON.stringify(name)}, Buffer.from(${JSON.stringify(model)}, 'base64'), ort);
    process.stdout.write(JSON.stringify(r));
    process.exit(0);`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: CHILD_TIMEOUT_MS,
      windowsHide: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status, signal) => {
      try {
        resolve(JSON.parse(stdout) as ProviderStatus);
      } catch {
        // Exit 0 without a result: the child was not a Node (e.g. Electron with the runAsNode fuse off).
        if (signal === null && (status === null || status === 0)) return reject(new Error('probe child did not run'));
        const why = firstLine(stderr.replace(/\x1b\[[0-9;]*m/g, '')) || `exit ${status ?? signal}`;
        resolve({ name, works: false, detail: `probe process ended abnormally (${signal ?? `code ${status}`}): ${why}` });
      }
    });
  });
}

// Self-contained (it is also sent to the child as source): uses only its arguments and firstLine.
async function probeOne(name: string, model: Uint8Array, rt: typeof ort): Promise<ProviderStatus> {
  const t0 = performance.now();
  let session: ort.InferenceSession | undefined;
  try {
    session = await rt.InferenceSession.create(model, {
      executionProviders: [name],
      logSeverityLevel: 4, // errors come back as exceptions; keep the console quiet
    });
    const a = new rt.Tensor('float32', Float32Array.of(1.5), [1]);
    const b = new rt.Tensor('float32', Float32Array.of(2.25), [1]);
    const r = await session.run({ a, b });
    const c = (r.c.data as Float32Array)[0];
    if (c !== 3.75) return { name, works: false, detail: `wrong result ${c} (expected 3.75)` };
    return { name, works: true, detail: `session created and ran in ${Math.round(performance.now() - t0)} ms` };
  } catch (err) {
    return { name, works: false, detail: firstLine((err as Error).message) };
  } finally {
    await session?.release().catch(() => undefined);
  }
}

function firstLine(s: string): string {
  let line = s.split('\n').find((l) => l.trim()) ?? s;
  // ORT prefixes the reason with its source location and assertion text; keep the human part.
  const reason = /(Failed to [^\n]*)$/.exec(line);
  if (reason) line = reason[1];
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

// ---- minimal protobuf writer for the probe model ----------------------------------------------
function varint(n: number): number[] {
  const o: number[] = [];
  while (n > 127) {
    o.push((n & 127) | 128);
    n >>>= 7;
  }
  o.push(n);
  return o;
}
const key = (field: number, wire: number) => varint((field << 3) | wire);
const int = (field: number, n: number) => [...key(field, 0), ...varint(n)];
const bytes = (field: number, b: number[]) => [...key(field, 2), ...varint(b.length), ...b];
const str = (field: number, s: string) => bytes(field, [...new TextEncoder().encode(s)]);

/** ONNX model c = Add(a, b), a/b/c float[1], opset 17, IR version 8. */
export function additionModel(): Uint8Array {
  const shape = bytes(2, bytes(1, int(1, 1)));
  const tensorType = bytes(1, [...int(1, 1), ...shape]);
  const valueInfo = (name: string) => [...str(1, name), ...bytes(2, tensorType)];
  const node = [...str(1, 'a'), ...str(1, 'b'), ...str(2, 'c'), ...str(4, 'Add')];
  const graph = [
    ...bytes(1, node),
    ...str(2, 'voxelbase-provider-probe'),
    ...bytes(11, valueInfo('a')),
    ...bytes(11, valueInfo('b')),
    ...bytes(12, valueInfo('c')),
  ];
  return Uint8Array.from([...int(1, 8), ...bytes(8, [...str(1, ''), ...int(2, 17)]), ...bytes(7, graph)]);
}
