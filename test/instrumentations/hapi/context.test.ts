import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanKind, trace } from '@opentelemetry/api';
import { HAPI_VERSIONS_UNDER_TEST, serverSpanFor, setupHapi, startHapi, traceOf, type Any } from './helpers';

const { agent, load } = setupHapi();
const tracer = trace.getTracer('manual');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(HAPI_VERSIONS_UNDER_TEST)('$hapi ($version): extensions and handlers keep the request context', ({ hapi }) => {
  let base: string;
  let server: Any;

  beforeAll(async () => {
    ({ base, server } = await startHapi(load(hapi), (s) => {
      s.ext('onRequest', async (_req: Any, h: Any) => {
        await sleep(Math.random() * 5);
        tracer.startSpan('on request').end();
        return h.continue;
      });
      s.ext('onPreHandler', async (_req: Any, h: Any) => {
        await sleep(Math.random() * 5);
        tracer.startSpan('pre handler').end();
        return h.continue;
      });
      s.route({
        method: 'POST',
        path: '/work/{id}',
        handler: async (req: Any) => {
          await sleep(Math.random() * 5);
          await tracer.startActiveSpan('manual work', async (span) => {
            await (await fetch(`${base}/leaf/${req.params.id}`)).text();
            span.end();
          });
          return { id: req.params.id, got: req.payload };
        },
      });
      s.route({ method: 'GET', path: '/leaf/{id}', handler: () => 'leaf' });
    }));
  });
  afterAll(() => server.stop());

  it('concurrent requests in different traces each keep their own spans', async () => {
    const ids = Array.from({ length: 8 }, (_, i) => `${hapi.length}-${i}`);
    const traceIds = ids.map(() => randomBytes(16).toString('hex'));
    const bodies = await Promise.all(
      ids.map(async (id, i) => {
        const res = await fetch(`${base}/work/${id}`, {
          method: 'POST',
          headers: { traceparent: `00-${traceIds[i]}-00000000000000a1-01`, 'content-type': 'application/json' },
          body: JSON.stringify({ n: i }),
        });
        return res.json();
      }),
    );
    expect(bodies).toEqual(ids.map((id, i) => ({ id, got: { n: i } })));

    for (const [i, id] of ids.entries()) {
      const server = await serverSpanFor(agent, base, `/work/${id}`);
      expect(server.traceId).toBe(traceIds[i]);
      expect(server.name).toBe('POST /work/{id}');
      const spans = traceOf(agent, server.traceId);
      const children = spans.filter((s) => s.parentSpanId === server.spanId).map((s) => s.name);
      expect(children.sort()).toEqual(['manual work', 'on request', 'pre handler']);
      const manual = spans.find((s) => s.name === 'manual work')!;
      const client = spans.find((s) => s.kind === SpanKind.CLIENT);
      expect(client?.parentSpanId).toBe(manual.spanId);
      const leaf = await serverSpanFor(agent, base, `/leaf/${id}`);
      expect(leaf.name).toBe('GET /leaf/{id}');
      expect(leaf.parentSpanId).toBe(client!.spanId);
      expect(spans.filter((s) => s.parentSpanId === leaf.spanId).map((s) => s.name).sort()).toEqual(['on request', 'pre handler']);
      expect(spans).toHaveLength(8);
    }
  });
});
