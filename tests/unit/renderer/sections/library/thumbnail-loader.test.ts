// Lazy thumbnail scheduling (renderer/src/sections/library/thumbnail-loader.ts): concurrency cap, newest
// first, cancelled requests never fetched, LRU cache.
import { describe, expect, it } from 'vitest';
import type { SeriesAxis, SeriesThumbnail } from '../../../../../app/contract/types.js';
import { ThumbnailLoader } from '../../../../../renderer/src/sections/library/thumbnail-loader.js';

function deferredFetch() {
  const calls: { id: number; axis: SeriesAxis; resolve: () => void }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const fetch = (id: number, axis: SeriesAxis) =>
    new Promise<SeriesThumbnail>((resolve) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      calls.push({
        id,
        axis,
        resolve: () => {
          inFlight--;
          resolve({ axis, width: 1, height: 1, dataUrl: `data:image/png;base64,${id}${axis}` });
        },
      });
    });
  return { fetch, calls, max: () => maxInFlight };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('ThumbnailLoader', () => {
  it('keeps at most N requests in flight and serves the newest first', async () => {
    const f = deferredFetch();
    const loader = new ThumbnailLoader(f.fetch, 2);
    const reqs = [1, 2, 3, 4, 5].map((id) => loader.request(id, 'axial'));
    // Free slots start at once; queued requests go newest first (the rows the user looks at now).
    expect(f.calls.map((c) => c.id)).toEqual([1, 2]);
    f.calls[0]?.resolve();
    await tick();
    expect(f.calls.map((c) => c.id)).toEqual([1, 2, 5]);
    for (let i = 1; i < 5; i++) {
      f.calls[i]?.resolve();
      await tick();
    }
    expect(f.calls.map((c) => c.id)).toEqual([1, 2, 5, 4, 3]);
    const urls = await Promise.all(reqs.map((r) => r.promise.then((t) => t.dataUrl)));
    expect(urls).toEqual([1, 2, 3, 4, 5].map((id) => `data:image/png;base64,${id}axial`));
    expect(f.max()).toBe(2);
  });

  it('never fetches a request cancelled before its turn, and caches what it fetched', async () => {
    const f = deferredFetch();
    const loader = new ThumbnailLoader(f.fetch, 1);
    loader.request(1, 'axial');
    const gone = loader.request(2, 'coronal');
    loader.request(3, 'sagittal');
    gone.cancel();
    for (let i = 0; i < 3; i++) {
      f.calls.shift()?.resolve();
      await tick();
    }
    expect(loader.peek(2, 'coronal')).toBeUndefined();
    expect(loader.peek(1, 'axial')?.dataUrl).toContain('1axial');
    expect(loader.peek(3, 'sagittal')?.dataUrl).toContain('3sagittal');
    const again = loader.request(1, 'axial');
    expect((await again.promise).dataUrl).toContain('1axial');
    expect(f.calls).toHaveLength(0);
  });

  it('evicts the least recently used beyond its size', async () => {
    const f = deferredFetch();
    const loader = new ThumbnailLoader(f.fetch, 4, 2);
    for (const id of [1, 2, 3]) {
      loader.request(id, 'axial');
      f.calls.shift()?.resolve();
      await tick();
    }
    expect(loader.peek(1, 'axial')).toBeUndefined();
    expect(loader.peek(3, 'axial')).toBeDefined();
    loader.clear();
    expect(loader.peek(3, 'axial')).toBeUndefined();
  });
});
