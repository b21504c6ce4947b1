import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import type * as Http from 'node:http';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { suppressTracing } from '../../../src/suppress';
import { clients, close, listen, servers, traceparentOf } from '../http/helpers';
import { waitForSpans } from '../../helpers/spans';
import { nodeRequire, startTracing } from '../../helpers/tracing';

const { agent } = startTracing();
const http = nodeRequire('node:http') as typeof Http;

const received: Array<{ url: string; traceparent: string[] }> = [];
const server = http.createServer((req, res) => {
  const tp = req.headersDistinct.traceparent ?? [];
  received.push({ url: req.url ?? '', traceparent: tp });
  res.statusCode = req.url?.startsWith('/status/') ? Number(req.url.slice(8)) : 200;
  res.end('fetched');
});
let port = 0;
beforeAll(async () => {
  port = await listen(server);
});
afterAll(() => close(server));
beforeEach(() => {
  agent.reset();
  received.length = 0;
});

const fetchClients = (spans: ReturnType<typeof agent.finishedSpans>) => clients(spans).filter((s) => s.scope.name === 'waymark/fetch');

describe('global fetch', () => {
  it('records a CLIENT span and injects traceparent, continued by the server', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/items?q=1&api_key=k`, { headers: { 'x-app': '1' } });
    expect(await res.text()).toBe('fetched');
    const spans = await waitForSpans(agent, (s) => fetchClients(s).length === 1 && servers(s).length === 1);
    const [client] = fetchClients(spans);
    const [srv] = servers(spans);
    expect(client!.name).toBe('GET');
    expect(client!.kind).toBe(SpanKind.CLIENT);
    expect(client!.attributes).toMatchObject({
      'http.request.method': 'GET',
      'server.address': '127.0.0.1',
      'server.port': port,
      'url.full': `http://127.0.0.1:${port}/items?q=1&api_key=REDACTED`,
      'http.response.status_code': 200,
    });
    expect(received[0]!.traceparent).toEqual([traceparentOf(client!)]);
    expect(srv!.parentSpanId).toBe(client!.spanId);
  });

  it('is a child of the active span', async () => {
    const parent = trace.getTracer('manual').startSpan('parent');
    await context.with(trace.setSpan(context.active(), parent), async () => (await fetch(`http://127.0.0.1:${port}/child`)).text());
    parent.end();
    const [client] = fetchClients(await waitForSpans(agent, (s) => fetchClients(s).length === 1));
    expect(client!.parentSpanId).toBe(parent.spanContext().spanId);
    expect(client!.traceId).toBe(parent.spanContext().traceId);
  });

  it('does not add a second traceparent when the app sets one', async () => {
    const own = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    await (await fetch(`http://127.0.0.1:${port}/own`, { headers: { traceparent: own } })).text();
    expect(received[0]!.traceparent).toEqual([own]);
  });

  it('marks >= 400 as ERROR', async () => {
    await (await fetch(`http://127.0.0.1:${port}/status/500`, { method: 'POST', body: 'x' })).text();
    const [client] = fetchClients(await waitForSpans(agent, (s) => fetchClients(s).length === 1));
    expect(client!.name).toBe('POST');
    expect(client!.status.code).toBe(SpanStatusCode.ERROR);
    expect(client!.attributes['error.type']).toBe('500');
  });

  it('ECONNREFUSED ends the span once with the error', async () => {
    const dead = http.createServer();
    const deadPort = await listen(dead);
    await close(dead);
    await expect(fetch(`http://127.0.0.1:${deadPort}/`)).rejects.toThrow();
    const spans = fetchClients(await waitForSpans(agent, (s) => fetchClients(s).length === 1));
    await new Promise((r) => setTimeout(r, 20));
    expect(fetchClients(agent.finishedSpans())).toHaveLength(1);
    expect(spans[0]!.status.code).toBe(SpanStatusCode.ERROR);
    expect(spans[0]!.attributes['error.type']).toBe('ECONNREFUSED');
  });

  it('an aborted fetch ends the span as AbortError', async () => {
    const hang = http.createServer((_req, res) => res.write('partial'));
    const hangPort = await listen(hang);
    const ac = new AbortController();
    const res = await fetch(`http://127.0.0.1:${hangPort}/`, { signal: ac.signal });
    ac.abort();
    await expect(res.text()).rejects.toThrow();
    await close(hang);
    const spans = fetchClients(await waitForSpans(agent, (s) => fetchClients(s).length === 1));
    expect(spans[0]!.status.code).toBe(SpanStatusCode.ERROR);
    expect(spans[0]!.attributes['error.type']).toBe('AbortError');
  });

  it('does nothing when tracing is suppressed', async () => {
    await context.with(suppressTracing(context.active()), async () => (await fetch(`http://127.0.0.1:${port}/quiet`)).text());
    await new Promise((r) => setTimeout(r, 20));
    expect(fetchClients(agent.finishedSpans())).toHaveLength(0);
    expect(received[0]!.traceparent).toEqual([]);
  });
});
