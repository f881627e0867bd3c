// The autotuner's second round (tuning/autotune.ts, tuning/conv-timer.ts closeCalls): candidates within
// RETIME_WITHIN of the fastest are timed again when there are two or more of them (a near-tie decides the plan, and
// one slow round had lost the stem's depth-2d form); far-behind, failed or lone candidates are not.
import { describe, expect, it } from 'vitest';
import { RETIME_WITHIN, closeCalls } from '../../../../native-models/tuning/conv-timer.js';

describe('conv timer: close calls', () => {
  it('re-times every candidate within the factor of the fastest, none when only the fastest is', () => {
    const timings = [
      { form: 'conv' as const, ms: 34.9 },
      { form: 'depth-2d' as const, ms: 35.46 },
      { form: 'nchwc' as const, ms: 34.9 * RETIME_WITHIN + 0.1 },
      { form: 'batched-gemm' as const, error: 'output differs' },
    ];
    expect(closeCalls(timings).map((t) => t.form)).toEqual(['conv', 'depth-2d']);
    expect(closeCalls([timings[0], timings[2], timings[3]])).toEqual([]);
    expect(closeCalls([timings[3]])).toEqual([]);
  });
});
