// The controls of the Library's selection bar, after the count, "Select all matching" and "Clear". Each gets
// the selection (SelectionActionProps: ids through `selection.resolve()`, the current filter as
// `selection.filter`, `selection.wholeFilter` when it is exactly the filter's match). Add one line per action,
// e.g. the cohorts section's SaveAsCohort.
import type { Component } from 'svelte';
import type { SelectionActionProps } from './selection.svelte.js';
import SaveAsCohort from '../cohorts/SaveAsCohort.svelte';

export const selectionActions: Component<SelectionActionProps>[] = [SaveAsCohort];
