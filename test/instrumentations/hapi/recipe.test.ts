import { describe, expect, it } from 'vitest';
import { isClientError } from '../../../src/instrument';
import { routeOf } from '../../../instrumentations/hapi/recipe';

describe('hapi routeOf (pure)', () => {
  it("is the route's template, prefix included", () => {
    expect(routeOf({ method: 'get', path: '/items/{id}' })).toBe('/items/{id}');
    expect(routeOf({ method: '*', path: '/api/files/{path*}' })).toBe('/api/files/{path*}');
  });

  it("is undefined for Hapi's special routes (not found, bad request) and before routing", () => {
    expect(routeOf({ method: '_special', path: '/{p*}' })).toBeUndefined();
    expect(routeOf(undefined)).toBeUndefined();
    expect(routeOf({ method: 'get', path: '' })).toBeUndefined();
  });
});

describe('isClientError reads a Boom status', () => {
  it('4xx in output.statusCode is the client, 5xx is not', () => {
    expect(isClientError({ isBoom: true, output: { statusCode: 404 } })).toBe(true);
    expect(isClientError({ isBoom: true, output: { statusCode: 503 } })).toBe(false);
    expect(isClientError({ isBoom: true, output: null })).toBe(false);
    // Express's `status` wins over Boom's output.
    expect(isClientError({ status: 500, output: { statusCode: 404 } })).toBe(false);
  });
});
