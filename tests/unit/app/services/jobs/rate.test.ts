import { describe, expect, it } from 'vitest';
import { RateMeter } from '../../../../../app/services/jobs/rate.js';

describe('RateMeter', () => {
  it('measures items per second over the window and derives the ETA', () => {
    const m = new RateMeter(5000);
    expect(m.rate()).toBeUndefined();
    for (let t = 0; t <= 10_000; t += 1000) m.add(t, t < 5000 ? t / 100 : 50 + (t - 5000) / 10); // 10/s then 100/s
    expect(m.rate()).toBeCloseTo(100, 6); // only the last 5 s count
    expect(m.eta(550, 1550)).toBeCloseTo(10, 6);
    expect(m.eta(550, 0)).toBeUndefined(); // unknown total
  });
  it('restarts when the counter goes backwards', () => {
    const m = new RateMeter();
    m.add(0, 100);
    m.add(1000, 200);
    m.add(2000, 0);
    expect(m.rate()).toBeUndefined();
    m.add(3000, 10);
    expect(m.rate()).toBeCloseTo(10, 6);
  });
});
