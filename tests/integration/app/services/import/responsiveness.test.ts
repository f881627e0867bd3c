// The main thread stays responsive during an import: it also serves the web mode's HTTP and WebSocket
// calls (and the Electron IPC), so no step of an import may hold its event loop for long. A timer ticks
// every 5 ms on the main thread while a folder of 4,000 DICOM files (2,000 distinct, each twice) is
// imported (scan, header parse, assembly, thumbnails); the longest gap between ticks beyond the 5 ms asked for must stay under MAX_STALL_MS, and
// API calls made during the import must answer within the same bound.
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
/** Measured on a 2-core machine at load 4-5 (other jobs running): 145-265 ms now, 985 ms before (the
 * synchronous assembly of all 4,000 headers). Twice the worst we saw, to stay green on a busier CI. */
const MAX_STALL_MS = 500;

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
      // Ticks: the longest time the event loop was unavailable.
      let stall = 0;
      let stallStep = '';
      let step = 'start';
      const off = h.services.events.on('job-progress', (p) => (step = `${p.step} ${p.current}/${p.total}`));
      let last = performance.now();
      let ticking = true;
      const tick = () => {
        const now = performance.now();
        if (now - last - 5 > stall) stallStep = step;
        stall = Math.max(stall, now - last - 5);
        last = now;
        if (ticking) setTimeout(tick, 5);
      };
      setTimeout(tick, 5);
      // API calls answered while the import runs (what the web mode's HTTP handlers do).
      const latencies: number[] = [];
      let polling = true;
      const poll = (async () => {
        while (polling) {
          const t = performance.now();
          await h.api.call('jobs:list', {});
          latencies.push(performance.now() - t);
          await new Promise((r) => setTimeout(r, 20));
        }
      })();

      const run = await h.importPaths([flat], true);
      ticking = false;
      polling = false;
      off();
      await poll;

      expect(run.state).toBe('done');
      expect(run.filesParsed).toBe(2 * SERIES * SLICES);
      expect(count(h, `SELECT COUNT(*) AS n FROM series WHERE status = 'complete'`)).toBe(SERIES);
      expect(latencies.length).toBeGreaterThan(5);
      console.log(
        `import of ${2 * SERIES * SLICES} files: longest event-loop stall ${stall.toFixed(0)} ms (after progress '${stallStep}'), ` +
          `slowest API call ${Math.max(...latencies).toFixed(0)} ms over ${latencies.length} calls`,
      );
      expect(stall).toBeLessThan(MAX_STALL_MS);
      expect(Math.max(...latencies)).toBeLessThan(MAX_STALL_MS);
    } finally {
      await h.close();
    }
  }, 180_000);
});
