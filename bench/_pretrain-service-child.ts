// Child process of bench/pretrain-quality.ts: the service process of one pretraining run, started exactly as the
// Pretrain screen's Start button starts it (the pretrain:start call: job, trainer process, loader threads). While it
// trains, the service's event loop is sampled (perf_hooks.monitorEventLoopDelay, 10 ms resolution) and a cheap call
// (runs:get) is timed every 100 ms, as a UI polling the service would. Prints one JSON line:
// {run, state, lagP99Ms, lagMaxMs, callP99Ms, servicePeakRssMb, peakRssMb (service + trainer), wallSeconds}.
// usage: node --import tsx bench/_pretrain-service-child.ts DATA_DIR COHORT OPTIONS_JSON
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createServices } from '../app/services/index.js';
import { createDirectApi } from '../app/transports/direct.js';
import type { PretrainOptions } from '../app/contract/types/runs.js';

const [dataDir, cohort, optionsJson] = process.argv.slice(2);
const services = createServices({ dataDir, startBackgroundWork: false });
const api = createDirectApi(services);
const t0 = performance.now();
const { job, run } = await api.call('pretrain:start', { cohort, options: JSON.parse(optionsJson) as PretrainOptions });
const lag = monitorEventLoopDelay({ resolution: 10 });
lag.enable();
const calls: number[] = [];
const timer = setInterval(() => {
  const c0 = performance.now();
  void api.call('runs:get', { run }).then(() => calls.push(performance.now() - c0));
}, 100);
const snap = await services.jobs.wait(job);
clearInterval(timer);
lag.disable();
calls.sort((a, b) => a - b);
const result = {
  run,
  state: snap.state,
  error: snap.error?.message,
  lagP99Ms: lag.percentile(99) / 1e6,
  lagMaxMs: lag.max / 1e6,
  callP99Ms: calls.length ? calls[Math.min(calls.length - 1, Math.floor(calls.length * 0.99))] : null,
  // the service's own peak and its trainer process's (they run side by side for the whole training)
  servicePeakRssMb: process.resourceUsage().maxRSS / 1024,
  peakRssMb: process.resourceUsage().maxRSS / 1024 + ((snap.result as { trainerPeakRssMb?: number | null } | undefined)?.trainerPeakRssMb ?? NaN),
  wallSeconds: (performance.now() - t0) / 1000,
};
await services.close();
process.stdout.write(`${JSON.stringify(result)}\n`);
