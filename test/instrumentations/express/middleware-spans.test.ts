import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { serverSpanFor, traceOf } from '../../helpers/spans';
import { EXPRESS_VARIANTS, listen, setupExpress, type ExpressModule } from './helpers';
import type { SpanRecord } from '../../../src/export/span-record';
import { DEFAULT_SETTINGS } from '../../../src/instrument';

// What WAYMARK_EXPRESS_MIDDLEWARE_SPANS=true gives the instrumentation, through its kit.
const settings = { ...DEFAULT_SETTINGS, express: { middlewareSpans: true } };
const { agent, load } = setupExpress({ settings });

function byName(spans: SpanRecord[], name: string): SpanRecord {
  const found = spans.filter((s) => s.name === name);
  expect(found, name).toHaveLength(1);
  return found[0]!;
}

describe.each(EXPRESS_VARIANTS)('$id (Express $major): middleware spans when enabled', ({ id, major }) => {
  let base: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const express: ExpressModule = load(id);
    const app = express();
    app.use(function auth(_req: unknown, _res: unknown, next: () => void) {
      setTimeout(next, 2);
    });
    const api = express.Router();
    api.get('/users/:id', (_req: unknown, res: any) => {
      trace.getTracer('manual').startActiveSpan('in handler', (s) => {
        s.end();
        res.send('user');
      });
    });
    app.use('/api', api);
    app.get('/fail/:id', function failing(_req: unknown, _res: unknown, next: (e: unknown) => void) {
      next(new Error('layer failure'));
    });
    app.use(function onError(err: Error, _req: unknown, res: any, _next: unknown) {
      res.status(500).send(err.message);
    });
    ({ url: base, close } = await listen(app));
  });
  afterAll(() => close());

  it('makes a span per middleware, router and route handler, as siblings under the server span', async () => {
    await (await fetch(base + '/api/users/3')).text();
    const server = await serverSpanFor(agent, base, '/api/users/3');
    expect(server.name).toBe('GET /api/users/:id');
    const spans = traceOf(agent, server.traceId);

    const auth = byName(spans, 'middleware - auth');
    const router = byName(spans, 'router - /api');
    const handler = byName(spans, 'request handler - /api/users/:id');
    const manual = byName(spans, 'in handler');
    for (const s of [auth, router, handler]) expect(s.kind).toBe(SpanKind.INTERNAL);
    expect(auth.parentSpanId).toBe(server.spanId);
    expect(router.parentSpanId).toBe(server.spanId);
    expect(handler.parentSpanId).toBe(router.spanId);
    expect(manual.parentSpanId).toBe(handler.spanId);
    expect(handler.attributes['http.route']).toBe('/api/users/:id');
    expect(auth.attributes['express.type']).toBe('middleware');
    // auth ends when it calls next, before the router runs.
    expect(auth.endTime).toBeLessThanOrEqual(router.startTime);

    const builtIns = spans.filter((s) => s.name === 'middleware - query' || s.name === 'middleware - expressInit');
    expect(builtIns).toHaveLength(major === 4 ? 2 : 0);
  });

  it('records the error on the layer that passed it and on the server span', async () => {
    await (await fetch(base + '/fail/1')).text();
    const server = await serverSpanFor(agent, base, '/fail/1');
    const spans = traceOf(agent, server.traceId);
    const handler = byName(spans, 'request handler - /fail/:id');
    expect(handler.status.code).toBe(SpanStatusCode.ERROR);
    const onError = byName(spans, 'middleware - onError');
    expect(onError.parentSpanId).toBe(server.spanId);
    expect(server.status.code).toBe(SpanStatusCode.ERROR);
    expect(server.events.filter((e) => e.name === 'exception')).toHaveLength(1);
  });
});
