// cohort:* calls over the cohort store (cohort-store.ts) and the resolver (resolve-cohort.ts). A filter is resolved
// by the series domain (matchingSeriesIds), so a cohort made from a filter has exactly the series that
// series:list shows for it at that moment.
import type { DomainHandlers } from '../handlers.js';
import type { ServiceContext } from '../context.js';
import { NotSupportedError } from '../../contract/errors.js';
import { quoteCohortName } from '../../contract/calls/cohort.js';
import { seriesIds as matchingSeriesIds } from '../series/index.js';
import {
  addMembers,
  createCohort,
  deleteCohort,
  describeCohort,
  findCohort,
  listCohorts,
  removeMembers,
  renameCohort,
  replaceMembers,
} from './cohort-store.js';
import { cohortDetail } from './resolve-cohort.js';

export function cohortHandlers(
  ctx: ServiceContext,
): DomainHandlers<
  'cohort:list' | 'cohort:get' | 'cohort:create' | 'cohort:rename' | 'cohort:describe' | 'cohort:add' | 'cohort:remove' | 'cohort:refresh' | 'cohort:delete'
> {
  const { db } = ctx;
  return {
    'cohort:list': () => listCohorts(db),
    'cohort:get': ({ cohort, checkFiles }) => cohortDetail(db, cohort, { checkFiles }),
    'cohort:create': async ({ name, description, filter, seriesIds }) => {
      const fromFilter = filter ? matchingSeriesIds(db, filter) : [];
      const ids = [...new Set([...fromFilter, ...(seriesIds ?? [])])].sort((a, b) => a - b);
      const c = createCohort(db, { name, description, filter: filter ?? null, memberIds: ids });
      return cohortDetail(db, c.id);
    },
    'cohort:rename': ({ cohort, name }) => renameCohort(db, cohort, name),
    'cohort:describe': ({ cohort, description }) => describeCohort(db, cohort, description),
    'cohort:add': ({ cohort, seriesIds }) => addMembers(db, cohort, seriesIds),
    'cohort:remove': ({ cohort, seriesIds }) => removeMembers(db, cohort, seriesIds),
    'cohort:refresh': ({ cohort }) => {
      const c = findCohort(db, cohort);
      if (!c.filter) {
        throw new NotSupportedError(`cohort ${quoteCohortName(c.name)} was made from a selection of series, not a filter: there is nothing to refresh`);
      }
      return replaceMembers(db, c.id, matchingSeriesIds(db, c.filter));
    },
    'cohort:delete': ({ cohort }) => deleteCohort(db, cohort),
  };
}
