// The main thread stays responsive during an import: it also serves the web mode's HTTP and WebSocket
// calls (and the Electron IPC), so no step of an import may hold its event loop for long. A timer ticks
// every 5 ms on the main thread while a folder of 4,000 DICOM files (2,000 distinct, each twice) is
// imported (scan, header parse, assembly, thumbnails); the longest time the main thread held its event
// loop between two ticks must stay under MAX_STALL_MS, and API calls made during the import must not wait
// longer than that for it either.
// "Held" is measured as the main thread's own time on a CPU between two ticks (Linux's per-thread
// schedstat), not as wall time: on a loaded machine (CI with 2 cores, or one shared with benchmarks) the
// wall-clock gap also counts the time the OS ran other processes, and a 50 ms slice of work became an
// 887 ms gap at load 20. The wall-clock figures are printed beside it. Where schedstat is missing (not
// Linux), wall time is used.
// Data: 40 series x 50 slices written at test time from a real volume (mricron-data's Colin27 ch2.nii.gz,
// header attributes of pydicom's MR_small.dcm) by bench/make-dicom-series.py, then each hard-linked twice
// into ONE flat folder (4,000 entries in a single directory: the scan's worst case; links cost no disk).
// Before the scan was time-sliced and assembly moved to the worker pool, this import stalled the event
// loop for 985 ms on a 2-core machine (the synchronous assembly of every series, then the scan).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PYDICOM, count, harness, tmpDir } from './helpers.js';

const COLIN = '/usr/share/mricron/templates/ch2.nii.gz';
const SERIES = 40;
const SLICES = 50;
/** Wall time measured on a 2-core machine at load 4-5 (other jobs running): 145-265 ms, 985 ms before the
 * synchronous assembly of all 4,000 headers moved to the pool. As the main thread's CPU time, at load 20
 * (two busy loops beside other benchmarks): 73-120 ms held, while the wall-clock gaps reached 830-1547 ms.
 * 2.5 times the worst held time seen (the bound was 500 ms of wall time). */
const MAX_STALL_MS = 300;

const SCHEDSTAT = `/proc/self/task/${process.pid}/schedstat`;
/** Milliseconds this process's main thread has spent on a CPU and waiting for one, or null (not Linux). */
function mainThreadTimes(): { cpu: number; waited: number } | null {
  try {
    const [cpu, waited] = fs.readFileSync(SCHEDSTAT, 'utf8').split(' ').map(Number);
    return { cpu: cpu! / 1e6, waited: waited! / 1e6 };
  } catch {
    return null;
  }
}

let root: string;
let flat: string;

beforeAll(() => {
  root = tmpDir('import-responsive');
  const src = path.join(root, 'studies');
  execFileSync('/usr/bin/python3', [
    'bench/make-dicom-series.py', 'many', COLIN, path.join(PYDICOM, 'MR_small.dcm'), src, String(SERIES), String(SLICES),
  ]);
  flat = path.join(root, 'flat');
  fs.mkdirSync(flat);
  let i = 0;
  for (const e of fs.readdirSync(src, { recursive: true, withFileTypes: true })) {
    if (!e.isFile() || e.name.startsWith('.')) continue;
    const name = String(i++).padStart(5, '0');
    // Each file twice (a folder holding a copy of the same studies, as users' folders often do).
    for (const copy of ['a', 'b']) fs.linkSync(path.join(e.parentPath, e.name), path.join(flat, `${copy}${name}.dcm`));
  }
}, 180_000);

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

describe('import responsiveness', () => {
  it('never blocks the main thread for long while importing 4,000 files', async () => {
    expect(fs.readdirSync(flat)).toHaveLength(2 * SERIES * SLICES);
    const h = harness(path.join(root, 'data'));
    try {
      // Ticks: the longest time the event loop was held (main-thread CPU time), and the longest wall gap.
      const held = () => {
        const t = mainThreadTimes();
        return t ? t.cpu : performance.now();
      };
      let stall = 0;
      let stallStep = '';
      let wallStall = 0;
      let step = 'start';
      const off = h.services.events.on('job-progress', (p) => (step = `${p.step} ${p.current}/${p.total}`));
      let last = performance.now();
      let lastHeld = held();
      let ticking = true;
      const tick = () => {
        const now = performance.now();
        const nowHeld = held();
        // The tick asked for 5 ms of idle time: that part of the gap is not a stall.
        const gap = Math.min(nowHeld - lastHeld, now - last - 5);
        if (gap > stall) stallStep = step;
        stall = Math.max(stall, gap);
        wallStall = Math.max(wallStall, now - last - 5);
        last = now;
        lastHeld = nowHeld;
        if (ticking) setTimeout(tick, 5);
      };
      setTimeout(tick, 5);
      const times0 = mainThreadTimes();
      // API calls answered while the import runs (what the web mode's HTTP handlers do): how long each
      // waited for the main thread (its CPU time from call to answer), and the wall-clock latency.
      const latencies: number[] = [];
      const wallLatencies: number[] = [];
      let polling = true;
      const poll = (async () => {
        while (polling) {
          const t = performance.now();
          const c = held();
          await h.api.call('jobs:list', {});
          wallLatencies.push(performance.now() - t);
          latencies.push(Math.min(held() - c, performance.now() - t));
          await new Promise((r) => setTimeout(r, 20));
        }
      })();

      const run = await h.importPaths([flat], true);
      ticking = false;
      polling = false;
      off();
      await poll;

      expect(run.state).toBe('done');
      // Each file's second copy is the same content at another path: recorded once, the copy not imported.
      expect(run.filesImported).toBe(SERIES * SLICES);
      expect(run.notImported).toBe(SERIES * SLICES);
      expect(count(h, `SELECT COUNT(*) AS n FROM file_errors WHERE reason = 'duplicate'`)).toBe(SERIES * SLICES);
      expect(count(h, `SELECT COUNT(*) AS n FROM series WHERE status = 'complete'`)).toBe(SERIES);
      expect(latencies.length).toBeGreaterThan(5);
      const times1 = mainThreadTimes();
      console.log(
        `import of ${2 * SERIES * SLICES} files: event loop held at most ${stall.toFixed(0)} ms (after progress '${stallStep}'), ` +
          `slowest API call held ${Math.max(...latencies).toFixed(0)} ms over ${latencies.length} calls; wall clock: ` +
          `longest gap ${wallStall.toFixed(0)} ms, slowest call ${Math.max(...wallLatencies).toFixed(0)} ms` +
          (times0 && times1
            ? `; the main thread waited ${((times1.waited - times0.waited) / 1000).toFixed(1)} s for a CPU, ran ${((times1.cpu - times0.cpu) / 1000).toFixed(1)} s`
            : ' (no schedstat: wall clock used)'),
      );
      expect(stall).toBeLessThan(MAX_STALL_MS);
      expect(Math.max(...latencies)).toBeLessThan(MAX_STALL_MS);
    } finally {
      await h.close();
    }
  }, 180_000);
});
