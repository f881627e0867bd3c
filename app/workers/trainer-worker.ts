// Worker-thread entry of the trainer (one per running pretrain job): workerData is a TrainLoopInput; the loop
// (app/services/pretrain/train-loop.ts) reports by messages (TrainerMessage) and takes 'pause' / 'resume' / 'stop'
// (TrainerCommand) from the job's side (app/services/pretrain/trainer.ts) between steps.
import { parentPort, workerData } from 'node:worker_threads';
import { serializeError } from '../contract/errors.js';
import { trainLoop, type Control, type TrainLoopInput } from '../services/pretrain/train-loop.js';
import type { TrainerCommand, TrainerMessage } from '../services/pretrain/trainer-protocol.js';

const port = parentPort!;
const post = (m: TrainerMessage) => port.postMessage(m);
let control: Control = 'go';
let wake: ((c: 'go' | 'stop') => void) | undefined;

port.on('message', (m: TrainerCommand) => {
  if (m.t === 'stop') control = 'stop';
  else if (m.t === 'pause' && control === 'go') control = 'pause';
  else if (m.t === 'resume' && control === 'pause') control = 'go';
  if (wake && control !== 'pause') {
    const w = wake;
    wake = undefined;
    w(control);
  }
});

trainLoop(workerData as TrainLoopInput, {
  ready: (info) => post({ t: 'ready', ...info }),
  step: (metric) => post({ t: 'step', metric }),
  checkpoint: (c) => post({ t: 'checkpoint', ...c }),
  paused: (step) => post({ t: 'paused', step }),
  control: () => control,
  waitWhilePaused: () => (control === 'pause' ? new Promise((r) => (wake = r)) : Promise.resolve(control === 'stop' ? 'stop' : 'go')),
}).then(
  (r) => post({ t: 'end', ...r }),
  (e) => post({ t: 'error', error: serializeError(e) }),
);
