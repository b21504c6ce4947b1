import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import type * as Http from 'node:http';
import { Writable } from 'node:stream';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { clients, close, listen, servers, traceparentOf } from '../http/helpers';
import { waitForSpans } from '../../helpers/spans';
import { nodeRequire, startTracing } from '../../helpers/tracing';
import { undiciPackagesForThisNode } from './undici-packages';

// The undici package's own API (request, stream, Client, Pool, Agent, dispatch) publishes on
// the diagnostics channels global fetch uses: the fetch instrumentation traces it as it
// traces fetch, one CLIENT span per request, whichever undici copy sends it.
const { agent, hooks } = startTracing();
const http = nodeRequire('node:http') as typeof Http;
const PACKAGES = undiciPackagesForThisNode();

const received: Array<{ url: string; traceparent: string[] }> = [];
const server = http.createServer((req, res) => {
  received.push({ url: req.url ?? '', traceparent: req.headersDistinct.traceparent ?? [] });
  res.statusCode = req.url?.startsWith('/status/') ? Number(req.url.slice(8)) : 200;
  res.end('answer');
});
let port = 0;
let origin = '';
let deadPort = 0;
beforeAll(async () => {
  port = await listen(server);
  origin = `http://127.0.0.1:${port}`;
  const dead = http.createServer();
  deadPort = await listen(dead);
  await close(dead);
});
afterAll(() => close(server));
beforeEach(() => {
  agent.reset();
  received.length = 0;
});

type Spans = ReturnType<typeof agent.finishedSpans>;
const undiciClients = (spans: Spans) => clients(spans).filter((s) => s.scope.name === 'waymark/fetch');
/** Waits for `n` client spans and the server spans of the requests that reached the server. */
const clientSpans = async (n: number, reached = n) => {
  const spans = await waitForSpans(agent, (s) => undiciClients(s).length >= n && servers(s).length >= reached);
  await new Promise((r) => setTimeout(r, 20));
  expect(undiciClients(agent.finishedSpans())).toHaveLength(n);
  return { client: undiciClients(spans), server: servers(spans) };
};

/** Checks one span against the request it stands for, and that the server continued its trace. */
function expectRequestSpan(client: Spans[number], method: string, path: string, received0: { traceparent: string[] }, server?: Spans[number]): void {
  expect(client.name).toBe(method);
  expect(client.kind).toBe(SpanKind.CLIENT);
  expect(client.attributes).toMatchObject({
    'http.request.method': method,
    'server.address': '127.0.0.1',
    'server.port': port,
    'url.full': `${origin}${path}`,
    'http.response.status_code': 200,
  });
  expect(client.status.code).toBe(SpanStatusCode.UNSET);
  expect(received0.traceparent).toEqual([traceparentOf(client)]);
  if (server !== undefined) expect(server.parentSpanId).toBe(client.spanId);
}

describe('the undici packages under test', () => {
  it('run here: at least the oldest major on every Node line', () => {
    expect(hooks.instrumentations).toContain('fetch');
    expect(PACKAGES.map((p) => p.major)).toContain(5);
  });
});

describe.each(PACKAGES.map((p) => [`${p.id} (${p.version})`, p.id] as const))('%s', (_, id) => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const undici = nodeRequire(id) as any;

  it('request(): one CLIENT span with the same attributes as fetch, traceparent injected, child of the active span', async () => {
    const parent = trace.getTracer('manual').startSpan('parent');
    const res = await context.with(trace.setSpan(context.active(), parent), () => undici.request(`${origin}/r?q=1&token=secret`));
    expect(res.statusCode).toBe(200);
    expect(await res.body.text()).toBe('answer');
    parent.end();
    const { client, server: [srv] } = await clientSpans(1);
    expectRequestSpan(client[0]!, 'GET', '/r?q=1&token=REDACTED', received[0]!, srv);
    expect(client[0]!.parentSpanId).toBe(parent.spanContext().spanId);
    expect(client[0]!.traceId).toBe(parent.spanContext().traceId);
  });

  it('stream(): the factory gets the response, one span', async () => {
    const chunks: Buffer[] = [];
    await undici.stream(`${origin}/s`, { method: 'GET', opaque: chunks }, ({ opaque }: { opaque: Buffer[] }) =>
      new Writable({
        write(chunk, _enc, cb) {
          opaque.push(chunk as Buffer);
          cb();
        },
      }),
    );
    expect(Buffer.concat(chunks).toString()).toBe('answer');
    const { client, server: [srv] } = await clientSpans(1);
    expectRequestSpan(client[0]!, 'GET', '/s', received[0]!, srv);
  });

  it('Pool#request and Client#request with a method and a body', async () => {
    const pool = new undici.Pool(origin, { connections: 2 });
    const c = new undici.Client(origin);
    try {
      const r1 = await pool.request({ path: '/pool', method: 'POST', body: 'x' });
      expect(await r1.body.text()).toBe('answer');
      const r2 = await c.request({ path: '/client', method: 'PUT', body: 'y' });
      expect(await r2.body.text()).toBe('answer');
    } finally {
      await pool.close();
      await c.close();
    }
    const { client } = await clientSpans(2);
    const byName = Object.fromEntries(client.map((s) => [s.name, s]));
    expectRequestSpan(byName.POST!, 'POST', '/pool', received.find((r) => r.url === '/pool')!);
    expectRequestSpan(byName.PUT!, 'PUT', '/client', received.find((r) => r.url === '/client')!);
  });

  it('Agent#dispatch with a handler of its own', async () => {
    const ag = new undici.Agent();
    const body: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
      ag.dispatch(
        { origin, path: '/dispatch', method: 'GET' },
        {
          // undici 5-6 call these; 7 both kinds; 8 only the ones below.
          onConnect() {},
          onHeaders() {
            return true;
          },
          onData(chunk: Buffer) {
            body.push(chunk);
            return true;
          },
          onComplete() {
            resolve();
          },
          onError: reject,
          onRequestStart() {},
          onResponseStart() {},
          onResponseData(_controller: unknown, chunk: Buffer) {
            body.push(chunk);
          },
          onResponseEnd() {
            resolve();
          },
          onResponseError(_controller: unknown, err: Error) {
            reject(err);
          },
        },
      );
    });
    await ag.close();
    expect(Buffer.concat(body).toString()).toBe('answer');
    const { client, server: [srv] } = await clientSpans(1);
    expectRequestSpan(client[0]!, 'GET', '/dispatch', received[0]!, srv);
  });

  it("the package's own fetch, and global fetch through the package's Agent set as global dispatcher: one span per request", async () => {
    const previous = undici.getGlobalDispatcher();
    const ag = new undici.Agent();
    undici.setGlobalDispatcher(ag);
    try {
      expect(await (await undici.fetch(`${origin}/own-fetch`)).text()).toBe('answer');
      expect(await (await fetch(`${origin}/global-fetch`)).text()).toBe('answer');
    } finally {
      undici.setGlobalDispatcher(previous);
      await ag.close();
    }
    const { client } = await clientSpans(2);
    expect(client.map((s) => s.attributes['url.full']).sort()).toEqual([`${origin}/global-fetch`, `${origin}/own-fetch`]);
    for (const r of received) expect(r.traceparent).toHaveLength(1);
  });

  it('a traceparent the app sets is kept, not doubled', async () => {
    const own = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const res = await undici.request(`${origin}/own`, { headers: { TraceParent: own, 'x-app': '1' } });
    await res.body.dump();
    await clientSpans(1);
    expect(received[0]!.traceparent).toEqual([own]);
  });

  it('a 500 answer is ERROR with error.type 500', async () => {
    const res = await undici.request(`${origin}/status/500`);
    await res.body.dump();
    const { client } = await clientSpans(1);
    expect(client[0]!.status.code).toBe(SpanStatusCode.ERROR);
    expect(client[0]!.attributes['error.type']).toBe('500');
  });

  it('connection refused: the caller gets ECONNREFUSED, the span is ERROR with it, once', async () => {
    const err = await undici.request(`http://127.0.0.1:${deadPort}/`).catch((e: unknown) => e);
    expect((err as { code: string }).code).toBe('ECONNREFUSED');
    const { client } = await clientSpans(1, 0);
    expect(client[0]!.status.code).toBe(SpanStatusCode.ERROR);
    expect(client[0]!.attributes['error.type']).toBe('ECONNREFUSED');
    expect(client[0]!.attributes['server.port']).toBe(deadPort);
  });
});
