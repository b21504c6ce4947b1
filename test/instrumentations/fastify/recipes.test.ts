import { describe, expect, it } from 'vitest';
import { makeOnRoute, type RouteOptionsLike } from '../../../instrumentations/fastify/hooks';
import { isClientError } from '../../../src/instrument';
import { InstrumentationKit } from '../../../src/instrument/kit';
import { routeTemplate } from '../../../instrumentations/fastify/route';

describe('fastify recipes (pure)', () => {
  it('reads the route from routeOptions, else routerPath (Fastify < 4.10)', () => {
    expect(routeTemplate({ routeOptions: { url: '/users/:id' } })).toBe('/users/:id');
    expect(routeTemplate({ routeOptions: { url: undefined } })).toBeUndefined();
    expect(routeTemplate({ routerPath: '/old/:id' })).toBe('/old/:id');
  });

  it('never reads routerPath when routeOptions exists (it prints a deprecation in 4.x)', () => {
    const request = {
      routeOptions: { url: '/new' },
      get routerPath(): string {
        throw new Error('must not be read');
      },
    };
    expect(routeTemplate(request)).toBe('/new');
  });

  it('tells client errors by statusCode or status', () => {
    expect(isClientError(Object.assign(new Error(), { statusCode: 400 }))).toBe(true);
    expect(isClientError(Object.assign(new Error(), { status: 404 }))).toBe(true);
    expect(isClientError(Object.assign(new Error(), { statusCode: 503 }))).toBe(false);
    expect(isClientError(new Error())).toBe(false);
  });

  it('Fastify 4 onRoute: prepends one route hook, keeps the route\'s own hooks', () => {
    const onRoute = makeOnRoute(new InstrumentationKit('fastify-test'));
    const own = (_r: unknown, _p: unknown, done: () => void) => done();
    const single: RouteOptionsLike = { url: '/a/:id', onRequest: own };
    onRoute(single);
    expect(single.onRequest).toHaveLength(2);
    expect((single.onRequest as unknown[])[1]).toBe(own);
    // Options reused for the HEAD twin of a GET route: not hooked twice.
    onRoute(single);
    expect(single.onRequest).toHaveLength(2);
    const none: RouteOptionsLike = { url: '/b' };
    onRoute(none);
    expect(none.onRequest).toHaveLength(1);
    const noUrl: RouteOptionsLike = {};
    onRoute(noUrl);
    expect(noUrl.onRequest).toBeUndefined();
  });

});
