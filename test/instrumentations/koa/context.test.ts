import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { SpanKind, trace } from '@opentelemetry/api';
import { serverSpanFor, traceOf } from '../../helpers/spans';
import { KOA_MATRIX, serve, setupKoa, type Any } from './helpers';

const { agent, load } = setupKoa();
const tracer = trace.getTracer('manual');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Two majors x the newest and oldest @koa/router: the routers differ in how they compose.
const CASES = KOA_MATRIX.filter((c) => c.router !== 'koa-router');

describe.each(CASES)('$koa (Koa $major) with $router: middleware keeps the request context', ({ koa, router }) => {
  let base: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const Koa = load(koa);
    const Router = load(router);
    const app = new Koa();
    app.use(async (_ctx: Any, next: () => Promise<unknown>) => {
      await next();
      // After the downstream chain: still the request's span.
      tracer.startSpan('after next').end();
    });
    app.use(async (_ctx: Any, next: () => Promise<unknown>) => {
      await sleep(Math.random() * 5);
      tracer.startSpan('before next').end();
      await next();
    });
    const r = new Router();
    r.get('/work/:id', async (ctx: Any) => {
      await sleep(Math.random() * 5);
      await tracer.startActiveSpan('manual work', async (span) => {
        await (await fetch(`${base}/leaf/${ctx.params.id}`)).text();
        span.end();
      });
      ctx.body = ctx.params.id;
    });
    r.get('/leaf/:id', (ctx: Any) => {
      ctx.body = 'leaf';
    });
    app.use(r.routes());
    ({ base, close } = await serve(app));
  });
  afterAll(() => close());

  it('concurrent requests in different traces each keep their own spans', async () => {
    const ids = Array.from({ length: 8 }, (_, i) => `${router.length}${i}`);
    const traceIds = ids.map(() => randomBytes(16).toString('hex'));
    const bodies = await Promise.all(
      ids.map(async (id, i) => {
        const res = await fetch(`${base}/work/${id}`, { headers: { traceparent: `00-${traceIds[i]}-00000000000000a1-01` } });
        return res.text();
      }),
    );
    expect(bodies).toEqual(ids);

    for (const [i, id] of ids.entries()) {
      const server = await serverSpanFor(agent, base, `/work/${id}`);
      expect(server.traceId).toBe(traceIds[i]);
      expect(server.name).toBe('GET /work/:id');
      const spans = traceOf(agent, server.traceId);
      const children = spans.filter((s) => s.parentSpanId === server.spanId).map((s) => s.name);
      expect(children.sort()).toEqual(['after next', 'before next', 'manual work']);
      const manual = spans.find((s) => s.name === 'manual work')!;
      const client = spans.find((s) => s.kind === SpanKind.CLIENT);
      expect(client?.parentSpanId).toBe(manual.spanId);
      // The leaf request runs the same middleware: its spans are the leaf server span's.
      const leaf = await serverSpanFor(agent, base, `/leaf/${id}`);
      expect(leaf.name).toBe('GET /leaf/:id');
      expect(leaf.parentSpanId).toBe(client!.spanId);
      expect(spans.filter((s) => s.parentSpanId === leaf.spanId).map((s) => s.name).sort()).toEqual(['after next', 'before next']);
      expect(spans).toHaveLength(8);
    }
  });
});
