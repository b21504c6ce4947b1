import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanStatusCode } from '@opentelemetry/api';
import type { SpanRecord } from '../../../src/export/span-record';
import { serverSpanFor } from '../../helpers/spans';
import { KOA_VERSIONS_UNDER_TEST, serve, setupKoa, type Any } from './helpers';

const { agent, load } = setupKoa();

class QuotaExceeded extends Error {
  override name = 'QuotaExceeded';
}

const exceptions = (span: SpanRecord) => span.events.filter((e) => e.name === 'exception');

describe.each(KOA_VERSIONS_UNDER_TEST)('$koa (Koa $major): middleware errors on the server span', ({ koa }) => {
  let base: string;
  let close: () => Promise<void>;
  let ownBase: string;
  let ownClose: () => Promise<void>;
  const emitted: unknown[] = [];
  const thrown: unknown[] = [];

  beforeAll(async () => {
    const Koa = load(koa);
    const Router = load('@koa/router');
    const app = new Koa();
    app.silent = true;
    app.on('error', (err: unknown) => emitted.push(err));
    const router = new Router();
    router.get('/sync/:id', () => {
      const err = new TypeError('sync boom');
      thrown.push(err);
      throw err;
    });
    router.get('/async/:id', async () => {
      await new Promise((r) => setTimeout(r, 1));
      throw new QuotaExceeded('async boom');
    });
    router.get('/missing/:id', (ctx: Any) => ctx.throw(404));
    router.get('/invalid/:id', (ctx: Any) => ctx.throw(400, 'bad id'));
    router.get('/unavailable/:id', (ctx: Any) => ctx.throw(503, 'down'));

    // Async middleware after the router: errors of a plain middleware too.
    app.use(router.routes());
    app.use(async (ctx: Any, next: () => Promise<unknown>) => {
      if (ctx.path !== '/plain') return next();
      await Promise.resolve();
      throw new RangeError('plain middleware');
    });
    ({ base, close } = await serve(app));

    // A second app with its own error middleware first (the usual Koa pattern): it answers,
    // Koa's handler never runs.
    const ownApp = new Koa();
    ownApp.use(async (ctx: Any, next: () => Promise<unknown>) => {
      try {
        await next();
      } catch (err) {
        ctx.status = (err as { status?: number }).status ?? 503;
        ctx.body = { error: (err as Error).message };
      }
    });
    const own = new Router({ prefix: '/own' });
    own.get('/fails/:id', async () => {
      throw new QuotaExceeded('handled');
    });
    own.get('/rejects/:id', (ctx: Any) => ctx.throw(422, 'unprocessable'));
    ownApp.use(own.routes());
    ({ base: ownBase, close: ownClose } = await serve(ownApp));
  });
  afterAll(() => Promise.all([close(), ownClose()]));

  async function get(path: string, at = base): Promise<{ status: number; body: string; span: SpanRecord }> {
    const res = await fetch(at + path);
    const body = await res.text();
    return { status: res.status, body, span: await serverSpanFor(agent, at, path) };
  }

  it.each([
    ['/sync/1', 'GET /sync/:id', 'TypeError', 'sync boom'],
    ['/async/2', 'GET /async/:id', 'QuotaExceeded', 'async boom'],
    ['/unavailable/3', 'GET /unavailable/:id', 'ServiceUnavailableError', 'down'],
    ['/plain', 'GET', 'RangeError', 'plain middleware'],
  ])("%s: Koa's default handler answers, the span is ERROR with one exception event", async (path, name, type, message) => {
    const { status, body, span } = await get(path);
    expect(status).toBe(path.startsWith('/unavailable') ? 503 : 500);
    expect(body).toBe(path.startsWith('/unavailable') ? 'Service Unavailable' : 'Internal Server Error');
    expect(span.name).toBe(name);
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).toBe(type);
    expect(exceptions(span)).toHaveLength(1);
    expect(exceptions(span)[0]!.attributes?.['exception.message']).toBe(message);
  });

  it("the app's 'error' event still gets the very error thrown", async () => {
    await get('/sync/9');
    expect(thrown.length).toBeGreaterThan(0);
    expect(emitted).toContain(thrown[thrown.length - 1]);
  });

  it.each([
    ['/missing/4', 404, 'Not Found'],
    ['/invalid/5', 400, 'bad id'],
  ])('%s: ctx.throw(%i) is an exception event, not an error', async (path, code, body) => {
    const r = await get(path);
    expect(r.status).toBe(code);
    expect(r.body).toBe(body);
    expect(r.span.status.code).not.toBe(SpanStatusCode.ERROR);
    expect(r.span.attributes['error.type']).toBeUndefined();
    expect(exceptions(r.span)).toHaveLength(1);
  });

  it("an error the app's own middleware answers is recorded; the answer is the app's", async () => {
    const { status, body, span } = await get('/own/fails/6', ownBase);
    expect(status).toBe(503);
    expect(JSON.parse(body)).toEqual({ error: 'handled' });
    expect(span.name).toBe('GET /own/fails/:id');
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).toBe('QuotaExceeded');
    expect(exceptions(span)).toHaveLength(1);
  });

  it("a 4xx the app's own middleware answers is not an error", async () => {
    const { status, body, span } = await get('/own/rejects/7', ownBase);
    expect(status).toBe(422);
    expect(JSON.parse(body)).toEqual({ error: 'unprocessable' });
    expect(span.status.code).not.toBe(SpanStatusCode.ERROR);
    expect(exceptions(span)).toHaveLength(1);
  });
});
