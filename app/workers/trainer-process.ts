// Child-process entry of the trainer (one per running pretrain job, started by app/services/pretrain/trainer.ts with
// native-models' trainingProcessEnv). Its first message is a TrainerCommand 'start' carrying the TrainLoopInput;
// the loop (app/services/pretrain/train-loop.ts) reports by messages (TrainerMessage) and takes 'pause' / 'resume' /
// 'stop' between steps. It ends itself when the loop ends or when the app that started it goes away (the IPC
// channel closes), so a crashed app never leaves a trainer behind.
import { serializeError } from '../contract/errors.js';
import { trainLoop, type Control, type TrainLoopInput } from '../services/pretrain/train-loop.js';
import type { TrainerCommand, TrainerMessage } from '../services/pretrain/trainer-protocol.js';

if (!process.send) throw new Error('the trainer process must be started with an IPC channel (app/platform/child-processes.ts)');
const send = process.send.bind(process);
const post = (m: TrainerMessage) => send(m);
let control: Control = 'go';
let wake: ((c: 'go' | 'stop') => void) | undefined;
let started = false;

process.on('disconnect', () => process.exit(0));

process.on('message', (m: TrainerCommand) => {
  if (m.t === 'start') {
    if (!started) start(m.input);
    started = true;
    return;
  }
  if (m.t === 'stop') control = 'stop';
  else if (m.t === 'pause' && control === 'go') control = 'pause';
  else if (m.t === 'resume' && control === 'pause') control = 'go';
  if (wake && control !== 'pause') {
    const w = wake;
    wake = undefined;
    w(control);
  }
});

function start(input: TrainLoopInput): void {
  trainLoop(input, {
    ready: (info) => post({ t: 'ready', ...info }),
    step: (metric) => post({ t: 'step', metric }),
    checkpoint: (c) => post({ t: 'checkpoint', ...c }),
    paused: (step) => post({ t: 'paused', step }),
    control: () => control,
    waitWhilePaused: () => (control === 'pause' ? new Promise((r) => (wake = r)) : Promise.resolve(control === 'stop' ? 'stop' : 'go')),
  }).then(
    (r) => post({ t: 'end', ...r, peakRssMb: process.resourceUsage().maxRSS / 1024 }),
    (e) => post({ t: 'error', error: serializeError(e) }),
  );
}
