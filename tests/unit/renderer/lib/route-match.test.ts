// Hash parsing and route matching of the renderer's router (renderer/src/lib/route-match.ts).
import { describe, expect, it } from 'vitest';
import { findRoute, hrefFor, matchPattern, parseHash } from '../../../../renderer/src/lib/route-match.js';

describe('parseHash', () => {
  it('reads the path and query of a hash', () => {
    const loc = parseHash('#/series/42?tab=files&axis=1');
    expect(loc.path).toBe('/series/42');
    expect(loc.query.get('tab')).toBe('files');
    expect(loc.query.get('axis')).toBe('1');
  });

  it('treats an empty hash as the root and normalises slashes', () => {
    expect(parseHash('').path).toBe('/');
    expect(parseHash('#').path).toBe('/');
    expect(parseHash('#library').path).toBe('/library');
    expect(parseHash('#/library/').path).toBe('/library');
  });
});

describe('matchPattern', () => {
  it('matches literal segments exactly and captures :params (decoded)', () => {
    expect(matchPattern('/library', '/library')).toEqual({});
    expect(matchPattern('/series/:id', '/series/1.2.840%2F5')).toEqual({ id: '1.2.840/5' });
    expect(matchPattern('/series/:id', '/series')).toBeNull();
    expect(matchPattern('/series/:id', '/series/1/extra')).toBeNull();
    expect(matchPattern('/library', '/cohorts')).toBeNull();
  });

  it('refuses a malformed escape instead of throwing', () => {
    expect(matchPattern('/series/:id', '/series/%E0%A4%A')).toBeNull();
  });
});

describe('findRoute', () => {
  const routes = [{ path: '/library' }, { path: '/series/:id' }, { path: '/status' }];

  it('returns the first matching route with its params', () => {
    expect(findRoute(routes, '/series/7')).toEqual({ route: routes[1], params: { id: '7' } });
    expect(findRoute(routes, '/status')?.route).toBe(routes[2]);
    expect(findRoute(routes, '/nowhere')).toBeNull();
  });

  it('builds hrefs', () => {
    expect(hrefFor('/library')).toBe('#/library');
    expect(hrefFor('status')).toBe('#/status');
  });
});
