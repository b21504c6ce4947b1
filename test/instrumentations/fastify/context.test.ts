import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Http from 'node:http';
import { SpanKind, trace } from '@opentelemetry/api';
import { serverSpanFor, traceOf } from '../../helpers/spans';
import { FASTIFY_VERSIONS_UNDER_TEST, listen, setupFastify, type FastifyApp } from './helpers';
import { nodeRequire } from '../../helpers/tracing';

const { agent, load } = setupFastify();
const http = nodeRequire('node:http') as typeof Http;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tracer = trace.getTracer('manual');

function httpGet(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

const downstream = http.createServer((_req, res) => res.end('downstream'));
let downstreamUrl = '';
beforeAll(async () => {
  await new Promise<void>((r) => downstream.listen(0, '127.0.0.1', () => r()));
  downstreamUrl = `http://127.0.0.1:${(downstream.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => downstream.close(() => r())));

describe.each(FASTIFY_VERSIONS_UNDER_TEST)('$id (Fastify $major): hooks and handlers keep the context', ({ id }) => {
  let app: FastifyApp;
  let base: string;

  beforeAll(async () => {
    app = load(id)();
    // Async hooks around body parsing, each doing async work of its own.
    app.addHook('onRequest', async () => {
      await sleep(1);
    });
    app.addHook('preValidation', (_req: unknown, _reply: unknown, done: () => void) => {
      setTimeout(done, 1);
    });
    app.addHook('preHandler', async () => {
      await sleep(1);
      tracer.startSpan('in preHandler').end();
    });
    app.post('/work/:id', async (req: { params: { id: string }; body: unknown }) => {
      await sleep(1);
      return tracer.startActiveSpan('manual work', async (span) => {
        await httpGet(`${downstreamUrl}/via-http/${req.params.id}`);
        await (await fetch(`${downstreamUrl}/via-fetch/${req.params.id}`)).text();
        span.end();
        return { got: req.body };
      });
    });
    base = await listen(app);
  });
  afterAll(() => app.close());

  it('a manual span is a child of the server span, and outbound calls children of it', async () => {
    const res = await fetch(`${base}/work/${id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ a: 1 }),
    });
    expect(await res.json()).toEqual({ got: { a: 1 } });

    const server = await serverSpanFor(agent, base, `/work/${id}`);
    expect(server.name).toBe('POST /work/:id');
    const spans = traceOf(agent, server.traceId);
    expect(spans.find((s) => s.name === 'in preHandler')?.parentSpanId).toBe(server.spanId);
    const manual = spans.find((s) => s.name === 'manual work');
    expect(manual?.parentSpanId).toBe(server.spanId);

    const clients = spans.filter((s) => s.kind === SpanKind.CLIENT && String(s.attributes['url.full']).startsWith(downstreamUrl));
    expect(clients).toHaveLength(2);
    for (const c of clients) expect(c.parentSpanId).toBe(manual!.spanId);
    const downstreamServers = spans.filter((s) => s.kind === SpanKind.SERVER && String(s.attributes['url.path']).startsWith('/via-'));
    expect(downstreamServers.map((s) => s.parentSpanId).sort()).toEqual(clients.map((c) => c.spanId).sort());
  });
});
