// Rate and ETA of a job step from its recent progress samples: items per second over a sliding window
// (default 5 s), ETA = remaining / rate. A window (not the whole run) keeps the ETA honest when speed
// changes, e.g. after a cache warms up.
export interface RateSample {
  t: number; // ms
  current: number;
}

export class RateMeter {
  private samples: RateSample[] = [];
  constructor(private readonly windowMs = 5000) {}

  reset(): void {
    this.samples = [];
  }

  add(t: number, current: number): void {
    const last = this.samples[this.samples.length - 1];
    if (last && current < last.current) this.samples = []; // counter restarted
    this.samples.push({ t, current });
    const cutoff = t - this.windowMs;
    // keep one sample at or before the cutoff so the window spans the full period
    while (this.samples.length > 2 && this.samples[1].t <= cutoff) this.samples.shift();
  }

  /** Items per second, or undefined before two samples spanning at least 50 ms. */
  rate(): number | undefined {
    if (this.samples.length < 2) return undefined;
    const a = this.samples[0];
    const b = this.samples[this.samples.length - 1];
    const dt = (b.t - a.t) / 1000;
    if (dt < 0.05) return undefined;
    return (b.current - a.current) / dt;
  }

  eta(current: number, total: number): number | undefined {
    const r = this.rate();
    if (!total || r === undefined || r <= 0) return undefined;
    return Math.max(0, (total - current) / r);
  }
}
