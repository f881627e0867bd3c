// What the Pretrain screen shows about runs and what its form sends (pure, no Svelte, unit-tested): the form's text
// fields turned into PretrainOptions (empty = the default), run states in words, and the collapse monitor's verdict.
import type { PretrainOptions, RunRecord, RunState } from '../../../../app/contract/types/runs.js';

/** The form as typed: every field a string ('' = the default the plan shows). */
export interface PretrainFormFields {
  arch: string;
  input: string;
  spacing: string;
  batch: string;
  steps: string;
  optimizer: string;
  lr: string;
  seed: string;
  widths: string;
  heads: string;
  checkpointEvery: string;
}

export const EMPTY_FORM: PretrainFormFields = { arch: '', input: '', spacing: '', batch: '', steps: '', optimizer: '', lr: '', seed: '', widths: '', heads: '', checkpointEvery: '' };

export interface FormResult {
  options: PretrainOptions;
  /** Field -> what is wrong with it. */
  errors: Partial<Record<keyof PretrainFormFields, string>>;
}

const intIn = (s: string, min: number, max: number): number | string => {
  const n = Number(s.trim());
  return /^\d+$/.test(s.trim()) && n >= min && n <= max ? n : `a whole number from ${min} to ${max}`;
};
const positive = (s: string, max: number): number | string => {
  const n = Number(s.trim());
  return s.trim() !== '' && Number.isFinite(n) && n > 0 && n <= max ? n : `a number above 0, at most ${max}`;
};
const list = (s: string, count: number, max: number): number[] | string => {
  const n = s.split(/[,\s]+/).filter(Boolean).map(Number);
  return n.length === count && n.every((v) => Number.isInteger(v) && v >= 1 && v <= max) ? n : `${count} whole numbers, comma-separated`;
};

/** PretrainOptions from the form; fields left empty are left out (the plan's defaults apply). */
export function formOptions(f: PretrainFormFields): FormResult {
  const options: PretrainOptions = {};
  const errors: FormResult['errors'] = {};
  const take = <K extends keyof PretrainFormFields>(k: K, parse: (s: string) => unknown, set: (v: never) => void) => {
    if (f[k].trim() === '') return;
    const v = parse(f[k]);
    if (typeof v === 'string') errors[k] = v;
    else set(v as never);
  };
  if (f.arch) options.arch = f.arch as PretrainOptions['arch'];
  if (f.optimizer) options.optimizer = f.optimizer as 'lars' | 'adamw';
  take('input', (s) => intIn(s, 8, 512), (v: number) => (options.input = v));
  take('spacing', (s) => positive(s, 20), (v: number) => (options.spacing = v));
  take('batch', (s) => intIn(s, 1, 4096), (v: number) => (options.batch = v));
  take('steps', (s) => intIn(s, 1, 10_000_000), (v: number) => (options.steps = v));
  take('lr', (s) => positive(s, 100), (v: number) => (options.lr = v));
  take('seed', (s) => intIn(s, 0, 2 ** 31 - 1), (v: number) => (options.seed = v));
  take('checkpointEvery', (s) => intIn(s, 1, 10_000_000), (v: number) => (options.checkpointEvery = v));
  take('widths', (s) => list(s, 4, 4096), (v: number[]) => (options.widths = v as [number, number, number, number]));
  take('heads', (s) => list(s, 3, 65536), (v: number[]) => (options.heads = { projHidden: v[0], projOut: v[1], predHidden: v[2] }));
  return { options, errors };
}

export const STATE_TEXT: Record<RunState, string> = {
  running: 'Running',
  paused: 'Paused',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted',
};

/** A stopped run that pretrain:resume can continue. */
export function canResume(r: RunRecord): boolean {
  return (r.state === 'interrupted' || r.state === 'cancelled' || r.state === 'failed') && r.data !== null && r.step < r.totalSteps;
}

/**
 * The collapse monitor's verdict: the std of L2-normalised projections is about 1/sqrt(d) when they spread over the
 * sphere and falls to 0 when BYOL collapses (SimSiam §4.1); below a fifth of the healthy value is called collapsing.
 */
export function collapseVerdict(std: number | null, projOut: number): { level: 'ok' | 'warn' | 'unknown'; text: string } {
  if (std === null || !Number.isFinite(std)) return { level: 'unknown', text: '—' };
  const healthy = 1 / Math.sqrt(projOut);
  const ratio = std / healthy;
  return ratio < 0.2
    ? { level: 'warn', text: `${std.toFixed(4)} — collapsing (healthy is about ${healthy.toFixed(3)})` }
    : { level: 'ok', text: `${std.toFixed(4)} (healthy is about ${healthy.toFixed(3)})` };
}

/** "1.23 GB" / "456 MB". */
export function formatMb(mb: number | null | undefined): string {
  if (mb === null || mb === undefined || !Number.isFinite(mb)) return '—';
  return mb >= 1024 ? `${(mb / 1024).toFixed(2)} GB` : `${Math.round(mb)} MB`;
}

/** 'LARS' / 'AdamW'. */
export function optimizerName(type: string): string {
  return type === 'adamw' ? 'AdamW' : type === 'lars' ? 'LARS' : type;
}
