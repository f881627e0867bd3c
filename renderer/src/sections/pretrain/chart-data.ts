// Chart data for the Pretrain dashboard (pure, no Svelte, unit-tested): lines of (step, value) aligned on one step
// axis as uPlot wants them ([xs, ys1, ys2 ...], a null where a line has no value at a step), and metrics thinned
// for plotting.

export interface ChartLine {
  label: string;
  x: ArrayLike<number>;
  y: ArrayLike<number | null>;
  /** A theme variable for the stroke (default: the palette in order). */
  colour?: string;
}

/** [steps, values of line 1, values of line 2 ...] on the sorted union of the lines' steps. */
export function alignLines(lines: readonly ChartLine[]): [number[], ...(number | null)[][]] {
  if (lines.length === 1) {
    const l = lines[0];
    return [Array.from(l.x), Array.from(l.y, (v) => (v === null || Number.isFinite(v) ? v : null))];
  }
  const xs = [...new Set(lines.flatMap((l) => Array.from(l.x)))].sort((a, b) => a - b);
  const at = new Map(xs.map((x, i) => [x, i]));
  const ys = lines.map((l) => {
    const y: (number | null)[] = new Array(xs.length).fill(null);
    for (let i = 0; i < l.x.length; i++) {
      const v = l.y[i];
      y[at.get(l.x[i])!] = v === null || Number.isFinite(v) ? v : null;
    }
    return y;
  });
  return [xs, ...ys];
}

/** Moving average over `window` points (the loss of a BYOL run is noisy step to step); nulls stay null. */
export function smooth(y: ArrayLike<number>, window: number): number[] {
  const out: number[] = [];
  let sum = 0;
  const q: number[] = [];
  for (let i = 0; i < y.length; i++) {
    q.push(y[i]);
    sum += y[i];
    if (q.length > window) sum -= q.shift()!;
    out.push(sum / q.length);
  }
  return out;
}

/** An axis tick: plain for ordinary magnitudes, exponential for small ones (learning rates), '0' for zero. */
export function axisValue(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a < 1e-2 || a >= 1e5) return v.toExponential(1);
  return Number(v.toPrecision(4)).toString();
}

/** An axis's ticks, written with just enough digits to tell neighbours apart (tau's ticks near the start of a run
 *  are 2e-5 apart: '0.99000', '0.99002', not '0.99' twice); small or huge magnitudes exponentially. */
export function axisValues(splits: readonly number[]): string[] {
  let step = Infinity;
  for (let i = 1; i < splits.length; i++) {
    const d = Math.abs(splits[i] - splits[i - 1]);
    if (d > 0 && d < step) step = d;
  }
  if (!Number.isFinite(step)) return splits.map(axisValue);
  const top = Math.max(...splits.map(Math.abs));
  if (top < 1e-2 || top >= 1e5) {
    const digits = Math.min(6, Math.max(1, Math.ceil(Math.log10(top / step) - 1e-9)));
    return splits.map((v) => (v === 0 ? '0' : v.toExponential(digits)));
  }
  const decimals = Math.min(8, Math.max(0, -Math.floor(Math.log10(step) + 1e-9)));
  return splits.map((v) => (v === 0 ? '0' : v.toFixed(decimals)));
}
