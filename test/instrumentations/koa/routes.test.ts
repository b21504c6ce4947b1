import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanStatusCode } from '@opentelemetry/api';
import { serverSpanFor } from '../../helpers/spans';
import { KOA_MATRIX, serve, setupKoa, type Any } from './helpers';

const { agent, load } = setupKoa();

describe.each(KOA_MATRIX)('$koa (Koa $major) with $router: the server span is named by route', ({ koa, router }) => {
  let base: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const Koa = load(koa);
    const Router = load(router);
    const app = new Koa();
    const root = new Router();
    root.use(async (_ctx: Any, next: () => Promise<unknown>) => next()); // router-level middleware
    root.get('/users/:id', (ctx: Any) => {
      ctx.body = { id: ctx.params.id };
    });
    root.post('/users', (ctx: Any) => {
      ctx.status = 201;
    });
    // A route that passes on: the later match names the span.
    root.get('/files/:name', async (_ctx: Any, next: () => Promise<unknown>) => next());
    root.get('/files/special', (ctx: Any) => {
      ctx.body = 'special';
    });
    // A route that answers itself: a later route matching the same path does not rename it.
    root.get('/docs/:name', (ctx: Any) => {
      ctx.body = 'doc';
    });
    root.get('/docs/readme', (ctx: Any) => {
      ctx.body = 'never';
    });
    // A router-level middleware that answers before the route runs: still the route's name.
    root.use('/admin', (ctx: Any) => {
      ctx.status = 401;
    });
    root.get('/admin/stats', (ctx: Any) => {
      ctx.body = 'stats';
    });

    // Prefixed router with a nested router inside it.
    const api = new Router({ prefix: '/api' });
    const v1 = new Router();
    v1.get('/items/:itemId', (ctx: Any) => {
      ctx.body = ctx.params.itemId;
    });
    api.use('/v1', v1.routes(), v1.allowedMethods());
    api.get('/health', (ctx: Any) => {
      ctx.body = 'ok';
    });

    app.use(async (_ctx: Any, next: () => Promise<unknown>) => {
      await next();
    });
    app.use(root.routes()).use(root.allowedMethods());
    app.use(api.routes());
    ({ base, close } = await serve(app));
  });
  afterAll(() => close());

  async function request(path: string, method = 'GET'): Promise<{ status: number; body: string; name: string; attrs: Record<string, unknown>; code: number }> {
    const res = await fetch(base + path, { method });
    const body = await res.text();
    const span = await serverSpanFor(agent, base, path);
    return { status: res.status, body, name: span.name, attrs: span.attributes, code: span.status.code };
  }

  it.each([
    ['GET', '/users/7', 200, 'GET /users/:id', '/users/:id'],
    ['POST', '/users', 201, 'POST /users', '/users'],
    ['GET', '/api/health', 200, 'GET /api/health', '/api/health'],
    ['GET', '/api/v1/items/42', 200, 'GET /api/v1/items/:itemId', '/api/v1/items/:itemId'],
    ['GET', '/files/special', 200, 'GET /files/special', '/files/special'],
    ['GET', '/docs/readme', 200, 'GET /docs/:name', '/docs/:name'],
    ['GET', '/admin/stats', 401, 'GET /admin/stats', '/admin/stats'],
  ])('%s %s -> %s, span %s', async (method, path, status, name, route) => {
    const r = await request(path, method);
    expect(r.status).toBe(status);
    expect(r.name).toBe(name);
    expect(r.attrs['http.route']).toBe(route);
    expect(r.code).not.toBe(SpanStatusCode.ERROR);
  });

  it('a path matched for another method only (405 from allowedMethods) keeps the method-only name', async () => {
    const r = await request('/users/8', 'DELETE');
    expect(r.status).toBe(405);
    expect(r.name).toBe('DELETE');
    expect(r.attrs['http.route']).toBeUndefined();
  });

  it('an unmatched path keeps the method-only name and no route', async () => {
    const r = await request('/nowhere/1');
    expect(r.status).toBe(404);
    expect(r.name).toBe('GET');
    expect(r.attrs['http.route']).toBeUndefined();
  });

  it('responses are what the app answers', async () => {
    expect((await request('/users/7')).body).toBe('{"id":"7"}');
    expect((await request('/api/v1/items/42')).body).toBe('42');
  });
});

describe.each(KOA_MATRIX.filter((c) => c.router === '@koa/router'))('$koa (Koa $major): the app keeps its own middleware list', ({ koa }) => {
  it('app.middleware holds the same functions after callback(), and a second callback() serves alike', async () => {
    const Koa = load(koa);
    const app = new Koa();
    const first = async (_ctx: Any, next: () => Promise<unknown>) => next();
    const second = (ctx: Any) => {
      ctx.body = 'ok';
    };
    app.use(first).use(second);
    const list = app.middleware;
    const servers = [await serve(app), await serve(app)];
    try {
      expect(app.middleware).toBe(list);
      expect(app.middleware).toEqual([first, second]);
      for (const { base } of servers) expect(await (await fetch(base + '/x')).text()).toBe('ok');
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
  });
});
