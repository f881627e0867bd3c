// The route table: one line per screen. `nav` puts the screen in the left navigation ('main' for the
// workflow sections, 'system' for the group at the bottom). Patterns may have `:param` segments.
import type { Component } from 'svelte';
import type { IconName } from './shell/icons.js';
import LibraryView from './sections/library/LibraryView.svelte';
import ImportView from './sections/import/ImportView.svelte';
import SeriesView from './sections/library/SeriesView.svelte';
import CohortsView from './sections/cohorts/CohortsView.svelte';
import CohortView from './sections/cohorts/CohortView.svelte';
import PretrainView from './sections/pretrain/PretrainView.svelte';
import SearchView from './sections/search/SearchView.svelte';
import ModelsView from './sections/models/ModelsView.svelte';
import StatusPanel from './sections/status/StatusPanel.svelte';
import ExportView from './sections/export/ExportView.svelte';

/** What every routed component receives. */
export interface RouteProps {
  params: Record<string, string>;
  query: URLSearchParams;
}

export interface RouteDef {
  path: string;
  title: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each screen declares its own subset of RouteProps
  component: Component<any>;
  nav?: 'main' | 'system';
  icon?: IconName;
  /** For screens outside the navigation: the nav entry to mark as current (e.g. a series -> Library). */
  parent?: string;
  /** Use the window's whole width (tables, viewers) instead of the reading width. */
  wide?: boolean;
}

export const HOME = '/library';

export const routes: readonly RouteDef[] = [
  { path: '/library', title: 'Library', component: LibraryView, nav: 'main', icon: 'library', wide: true },
  { path: '/cohorts', title: 'Cohorts', component: CohortsView, nav: 'main', icon: 'cohorts' },
  { path: '/cohorts/:id', title: 'Cohort', component: CohortView, parent: '/cohorts' },
  { path: '/pretrain', title: 'Pretrain', component: PretrainView, nav: 'main', icon: 'pretrain' },
  { path: '/search', title: 'Search', component: SearchView, nav: 'main', icon: 'search' },
  { path: '/models', title: 'Models', component: ModelsView, nav: 'main', icon: 'models' },
  { path: '/import', title: 'Import', component: ImportView, icon: 'import', parent: '/library' },
  { path: '/series/:id', title: 'Series', component: SeriesView, parent: '/library', wide: true },
  { path: '/export/:run', title: 'Export', component: ExportView, parent: '/models' },
  { path: '/status', title: 'Status', component: StatusPanel, nav: 'system', icon: 'status' },
];
