import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Http from 'node:http';
import { SpanKind, trace } from '@opentelemetry/api';
import { serverSpanFor, traceOf } from '../../helpers/spans';
import { EXPRESS_VARIANTS, listen, setupExpress, type ExpressModule } from './helpers';
import { nodeRequire } from '../../helpers/tracing';

const { agent, load } = setupExpress();
const http = nodeRequire('node:http') as typeof Http;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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

// The downstream service the handlers call.
const downstream = http.createServer((_req, res) => res.end('downstream'));
let downstreamUrl = '';
beforeAll(async () => {
  await new Promise<void>((r) => downstream.listen(0, '127.0.0.1', () => r()));
  downstreamUrl = `http://127.0.0.1:${(downstream.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => downstream.close(() => r())));

describe.each(EXPRESS_VARIANTS)('$id (Express $major): context inside handlers', ({ id }) => {
  let base: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const express: ExpressModule = load(id);
    const app = express();
    // Async work and a parsed body before the handler: context must survive both.
    app.use(async (_req: unknown, _res: unknown, next: () => void) => {
      await sleep(1);
      next();
    });
    app.use(express.json());
    app.post('/work/:id', (req: { params: { id: string }; body: unknown }, res: any) => {
      setTimeout(() => {
        void trace.getTracer('manual').startActiveSpan('manual work', async (span) => {
          await sleep(1);
          await httpGet(`${downstreamUrl}/via-http/${req.params.id}`);
          await (await fetch(`${downstreamUrl}/via-fetch/${req.params.id}`)).text();
          span.end();
          res.json({ got: req.body });
        });
      }, 1);
    });
    ({ url: base, close } = await listen(app));
  });
  afterAll(() => close());

  it('a manual span is a child of the server span, and outbound calls children of it', async () => {
    const res = await fetch(`${base}/work/${id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ a: 1 }),
    });
    expect(await res.json()).toEqual({ got: { a: 1 } });

    const server = await serverSpanFor(agent, base, `/work/${id}`);
    expect(server.name).toBe('GET /work/:id'.replace('GET', 'POST'));
    const spans = traceOf(agent, server.traceId);
    const manual = spans.find((s) => s.name === 'manual work');
    expect(manual?.parentSpanId).toBe(server.spanId);

    const clients = spans.filter((s) => s.kind === SpanKind.CLIENT && String(s.attributes['url.full']).startsWith(downstreamUrl));
    expect(clients).toHaveLength(2);
    for (const c of clients) expect(c.parentSpanId).toBe(manual!.spanId);

    // And each downstream server span continues from its client span.
    const downstreamServers = spans.filter((s) => s.kind === SpanKind.SERVER && String(s.attributes['url.path']).startsWith('/via-'));
    expect(downstreamServers.map((s) => s.parentSpanId).sort()).toEqual(clients.map((c) => c.spanId).sort());
  });
});
