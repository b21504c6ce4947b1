import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { SpanRecord } from '../../../src/export/span-record';
import { DEFAULT_SETTINGS } from '../../../src/instrument';
import { KOA_MATRIX, serve, serverSpanFor, setupKoa, traceOf, type Any } from './helpers';

// What WAYMARK_KOA_MIDDLEWARE_SPANS=true gives the instrumentation, through its kit.
const settings = { ...DEFAULT_SETTINGS, koa: { middlewareSpans: true } };
const { agent, load } = setupKoa({ settings });

function byName(spans: SpanRecord[], name: string): SpanRecord {
  const found = spans.filter((s) => s.name === name);
  expect(found, name).toHaveLength(1);
  return found[0]!;
}

describe.each(KOA_MATRIX)('$koa (Koa $major) with $router: middleware spans when enabled', ({ koa, router }) => {
  let base: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const Koa = load(koa);
    const Router = load(router);
    const app = new Koa();
    app.silent = true;
    app.use(async function timing(_ctx: Any, next: () => Promise<unknown>) {
      await next();
    });
    const r = new Router({ prefix: '/api' });
    r.get('/users/:id', async (ctx: Any) => {
      await new Promise((res) => setTimeout(res, 1));
      trace.getTracer('manual').startSpan('in handler').end();
      ctx.body = 'user';
    });
    r.get('/fail/:id', async () => {
      throw new RangeError('route failed');
    });
    app.use(r.routes());
    ({ base, close } = await serve(app));
  });
  afterAll(() => close());

  it('a span per middleware, the router named by its route, nested as Koa runs them', async () => {
    expect(await (await fetch(`${base}/api/users/1`)).text()).toBe('user');
    const server = await serverSpanFor(agent, base, '/api/users/1');
    expect(server.name).toBe('GET /api/users/:id');
    const spans = traceOf(agent, server.traceId);
    const timing = byName(spans, 'middleware - timing');
    expect(timing.kind).toBe(SpanKind.INTERNAL);
    expect(timing.parentSpanId).toBe(server.spanId);
    expect(timing.attributes).toMatchObject({ 'koa.type': 'middleware', 'koa.name': 'timing' });
    const routed = byName(spans, 'router - /api/users/:id');
    expect(routed.parentSpanId).toBe(timing.spanId);
    expect(routed.attributes).toMatchObject({ 'koa.type': 'router', 'koa.name': '/api/users/:id', 'http.route': '/api/users/:id' });
    expect(byName(spans, 'in handler').parentSpanId).toBe(routed.spanId);
    // The router's span lasts until the handler is done.
    const handler = byName(spans, 'in handler');
    expect(routed.endTime).toBeGreaterThanOrEqual(handler.endTime);
  });

  it("a thrown error is recorded on the router's span and the server span", async () => {
    expect((await fetch(`${base}/api/fail/2`)).status).toBe(500);
    const server = await serverSpanFor(agent, base, '/api/fail/2');
    expect(server.status.code).toBe(SpanStatusCode.ERROR);
    const spans = traceOf(agent, server.traceId);
    const routed = byName(spans, 'router - /api/fail/:id');
    expect(routed.status.code).toBe(SpanStatusCode.ERROR);
    expect(routed.events.map((e) => e.name)).toEqual(['exception']);
  });

  it('an unmatched path leaves the router span unnamed by route', async () => {
    expect((await fetch(`${base}/nowhere`)).status).toBe(404);
    const server = await serverSpanFor(agent, base, '/nowhere');
    const spans = traceOf(agent, server.traceId);
    const internal = spans.filter((s) => s.kind === SpanKind.INTERNAL);
    expect(internal.map((s) => s.name).sort()).toEqual(['middleware - timing', 'router']);
    expect(server.name).toBe('GET');
  });
});
