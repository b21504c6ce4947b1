import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanStatusCode } from '@opentelemetry/api';
import { HAPI_VERSIONS_UNDER_TEST, serverSpanFor, setupHapi, startHapi, type Any } from './helpers';

const { agent, load } = setupHapi();

describe.each(HAPI_VERSIONS_UNDER_TEST)('$hapi ($version): the server span is named by route', ({ hapi }) => {
  let base: string;
  let server: Any;

  beforeAll(async () => {
    ({ base, server } = await startHapi(load(hapi), async (s) => {
      s.route({ method: 'GET', path: '/items/{id}', handler: (req: Any) => ({ id: req.params.id }) });
      s.route({ method: 'POST', path: '/items', handler: (_req: Any, h: Any) => h.response().code(201) });
      s.route({ method: 'GET', path: '/files/{path*}', handler: () => 'file' });
      s.route({ method: '*', path: '/any/{x}', handler: () => 'any' });
      // A plugin with a route prefix: the template includes it.
      await s.register({ name: 'api', register: (p: Any) => p.route({ method: 'GET', path: '/users/{userId}', handler: () => 'user' }) }, { routes: { prefix: '/api' } });
    }));
  });
  afterAll(() => server.stop());

  it.each([
    ['GET', '/items/7', 200, 'GET /items/{id}', '/items/{id}'],
    ['POST', '/items', 201, 'POST /items', '/items'],
    ['GET', '/files/a/b.txt', 200, 'GET /files/{path*}', '/files/{path*}'],
    ['DELETE', '/any/1', 200, 'DELETE /any/{x}', '/any/{x}'],
    ['GET', '/api/users/3', 200, 'GET /api/users/{userId}', '/api/users/{userId}'],
  ])('%s %s -> %i, span %s', async (method, path, status, name, route) => {
    const res = await fetch(base + path, { method });
    await res.text();
    expect(res.status).toBe(status);
    const span = await serverSpanFor(agent, base, path);
    expect(span.name).toBe(name);
    expect(span.attributes['http.route']).toBe(route);
    expect(span.status.code).not.toBe(SpanStatusCode.ERROR);
    expect(span.events).toHaveLength(0);
  });

  it('an unrouted path keeps the method-only name, no route and no exception', async () => {
    const res = await fetch(base + '/nowhere');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ statusCode: 404, error: 'Not Found', message: 'Not Found' });
    const span = await serverSpanFor(agent, base, '/nowhere');
    expect(span.name).toBe('GET');
    expect(span.attributes['http.route']).toBeUndefined();
    expect(span.events).toHaveLength(0);
  });

  it('server.inject() (no socket, no server span) still works', async () => {
    const res = await server.inject('/items/5');
    expect(res.statusCode).toBe(200);
    expect(res.result).toEqual({ id: '5' });
  });
});
