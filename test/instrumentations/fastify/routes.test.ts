import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverSpanFor } from '../../helpers/spans';
import { FASTIFY_VERSIONS_UNDER_TEST, listen, setupFastify, type FastifyApp } from './helpers';

const { agent, load } = setupFastify();

describe.each(FASTIFY_VERSIONS_UNDER_TEST)('$id (Fastify $major): http.route on the server span', ({ id, major }) => {
  let app: FastifyApp;
  let base: string;

  beforeAll(async () => {
    app = load(id)();
    app.get('/users/:id', async () => ({ ok: true }));
    app.get('/files/*', (_req: unknown, reply: any) => reply.send('file'));
    await app.register(
      async (api: FastifyApp) => {
        api.get('/items/:itemId', async () => 'item');
        await api.register(async (deep: FastifyApp) => deep.get('/orders/:orderId', async () => 'order'), { prefix: '/shop' });
      },
      { prefix: '/api/v1' },
    );
    // Auth hooks that answer before the handler: app-level (a plugin's) and route-level.
    const deny = async (_req: unknown, reply: any) => {
      reply.code(401).send('no');
      return reply;
    };
    await app.register(async (secure: FastifyApp) => {
      secure.addHook('onRequest', deny);
      secure.get('/secure/:id', async () => 'never');
    });
    app.get('/guarded/:id', { onRequest: deny }, async () => 'never');
    base = await listen(app);
  });
  afterAll(() => app.close());

  const cases: Array<[string, string]> = [
    ['/users/42', '/users/:id'],
    ['/files/a/b.txt', '/files/*'],
    ['/api/v1/items/9', '/api/v1/items/:itemId'],
    ['/api/v1/shop/orders/5', '/api/v1/shop/orders/:orderId'],
  ];

  it.each(cases)('%s -> %s', async (path, route) => {
    const res = await fetch(base + path);
    expect(res.status).toBe(200);
    await res.text();
    const span = await serverSpanFor(agent, base, path);
    expect(span.attributes['http.route']).toBe(route);
    expect(span.name).toBe(`GET ${route}`);
  });

  it('names a request a route-level hook rejects by its route', async () => {
    const res = await fetch(base + '/guarded/1');
    expect(res.status).toBe(401);
    await res.text();
    expect((await serverSpanFor(agent, base, '/guarded/1')).name).toBe('GET /guarded/:id');
  });

  // Fastify 4 carries the route in a route-level hook (its routeOptions getter is costly),
  // which runs after app-level hooks: a request those answer keeps the method name.
  it(`names a request an app-level hook rejects ${major === 5 ? 'by its route' : 'by its method only (Fastify 4)'}`, async () => {
    const res = await fetch(base + '/secure/1');
    expect(res.status).toBe(401);
    await res.text();
    const span = await serverSpanFor(agent, base, '/secure/1');
    expect(span.name).toBe(major === 5 ? 'GET /secure/:id' : 'GET');
  });

  it('names HEAD requests of GET routes', async () => {
    const res = await fetch(base + '/users/43', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect((await serverSpanFor(agent, base, '/users/43')).name).toBe('HEAD /users/:id');
  });

  it('leaves an unmatched request (404) named by its method, with no route', async () => {
    const res = await fetch(base + '/no/such/route');
    expect(res.status).toBe(404);
    await res.text();
    const span = await serverSpanFor(agent, base, '/no/such/route');
    expect(span.name).toBe('GET');
    expect(span.attributes['http.route']).toBeUndefined();
  });
});
