// The "Studies in the library" prerequisite that every downstream screen lists first.
import type { Step } from './Prerequisites.svelte';

export function libraryStep(series: number | undefined): Step {
  return {
    label: 'Studies in the library',
    detail: series === undefined ? undefined : `${series.toLocaleString()} series catalogued`,
    done: series === undefined ? undefined : series > 0,
    href: series === 0 ? '#/import' : undefined,
  };
}
