import { describe, expect, it } from 'vitest';
import { routeOf } from '../../../instrumentations/koa/recipe';

const route = (path: unknown, ...methods: string[]) => ({ path, methods: methods.length > 0 ? [...methods, 'HEAD'] : [] });
const use = (path: string) => ({ path, methods: [] });

describe('koa routeOf (pure)', () => {
  it('is undefined when no router matched path and method', () => {
    expect(routeOf({ method: 'GET' })).toBeUndefined();
    expect(routeOf({ method: 'DELETE', matched: [route('/users', 'GET')] })).toBeUndefined();
  });

  it('names the route layer that ran last', () => {
    const matched = [use('([^/]*)'), route('/files/:name', 'GET'), route('/files/special', 'GET')];
    expect(routeOf({ method: 'GET', matched, _matchedRoute: '/files/:name' })).toBe('/files/:name');
    expect(routeOf({ method: 'GET', matched, _matchedRoute: '/files/special' })).toBe('/files/special');
  });

  it("a router middleware's pattern is never the route: the last route layer for the method is", () => {
    const matched = [use('(?:\\/|$)'), use('/admin'), route('/admin/stats', 'POST'), route('/admin/stats', 'GET')];
    expect(routeOf({ method: 'GET', matched, _matchedRoute: '/admin' })).toBe('/admin/stats');
    expect(routeOf({ method: 'GET', matched: [use('([^/]*)')], _matchedRoute: '([^/]*)' })).toBeUndefined();
  });

  it('takes _matchedRoute as is from a router that keeps no matched list, and a RegExp by its literal', () => {
    expect(routeOf({ method: 'GET', _matchedRoute: '/a/:b' })).toBe('/a/:b');
    expect(routeOf({ method: 'GET', _matchedRoute: /^\/v\d+/ })).toBe('/^\\/v\\d+/');
    expect(routeOf({ method: 'GET', _matchedRoute: '' })).toBeUndefined();
    expect(routeOf({ method: 'GET', _matchedRoute: 42 })).toBeUndefined();
  });
});
