// Page cache of the virtualised table (renderer/src/sections/library/series-pages.ts).
import { describe, expect, it } from 'vitest';
import type { SeriesPage, SeriesRow } from '../../../../../app/contract/types.js';
import { SeriesPages } from '../../../../../renderer/src/sections/library/series-pages.js';

function fakeCatalogue(total: number, tag = 'a') {
  const asked: [number, number][] = [];
  const fetch = async (offset: number, limit: number): Promise<SeriesPage> => {
    asked.push([offset, limit]);
    const rows = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => ({
      id: offset + i + 1,
      description: `${tag}${offset + i}`,
    })) as unknown as SeriesRow[];
    return { total, rows };
  };
  return { fetch, asked };
}

describe('SeriesPages', () => {
  it('loads only the pages of the visible range, each once', async () => {
    const cat = fakeCatalogue(10_000);
    let changes = 0;
    const pages = new SeriesPages(cat.fetch, () => changes++, 200);
    await pages.ensure(0, 40);
    expect(pages.total).toBe(10_000);
    expect(cat.asked).toEqual([[0, 200]]);
    await pages.ensure(190, 230);
    await pages.ensure(0, 230);
    expect(cat.asked).toEqual([
      [0, 200],
      [200, 200],
    ]);
    expect(pages.row(205)?.description).toBe('a205');
    expect(pages.row(9_999)).toBeUndefined();
    await pages.ensure(9_980, 10_020);
    expect(pages.row(9_999)?.description).toBe('a9999');
    expect(cat.asked.at(-1)).toEqual([9_800, 200]);
    expect(changes).toBe(3);
  });

  it('drops answers for a query that was replaced meanwhile', async () => {
    let release!: (p: SeriesPage) => void;
    const slow = () => new Promise<SeriesPage>((r) => (release = r));
    const pages = new SeriesPages(slow, () => {}, 100);
    const first = pages.ensure(0, 10);
    const fresh = fakeCatalogue(3, 'b');
    pages.reset(fresh.fetch);
    await pages.ensure(0, 10);
    release({ total: 99, rows: [{ id: 1, description: 'stale' } as unknown as SeriesRow] });
    await first;
    expect(pages.total).toBe(3);
    expect(pages.row(0)?.description).toBe('b0');
  });

  it('records an error and retries the page next time', async () => {
    let fail = true;
    const pages = new SeriesPages(
      async (offset, limit) => {
        if (fail) throw new Error('catalogue locked');
        return fakeCatalogue(5).fetch(offset, limit);
      },
      () => {},
      100,
    );
    await pages.ensure(0, 5);
    expect(pages.error).toBe('catalogue locked');
    fail = false;
    await pages.ensure(0, 5);
    expect(pages.error).toBeNull();
    expect(pages.row(4)?.id).toBe(5);
  });
});
