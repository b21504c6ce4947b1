import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import type * as Http from 'node:http';
import { context, trace } from '@opentelemetry/api';
import { clients, close, listen, send, servers } from './helpers';
import { httpConfigOf, isIgnoredPath } from '../../../src/instrument';
import { readConfig } from '../../../src/config';
import { waitForSpans } from '../../helpers/spans';
import { nodeRequire, startTracing } from '../../helpers/tracing';

// Read by src/config.ts, handed to the http instrumentation through its kit.
const settings = readConfig({
  WAYMARK_HTTP_IGNORE_PATHS: '/health, /internal/*',
  OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_SERVER_REQUEST: 'X-Request-Id,x-multi',
  OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_SERVER_RESPONSE: 'x-served-by',
  OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_CLIENT_REQUEST: 'x-request-id',
  OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_CLIENT_RESPONSE: 'x-served-by',
}).instrumentations.settings;

const { agent } = startTracing({ settings });
const http = nodeRequire('node:http') as typeof Http;
let handlerSawSpan: boolean | undefined;
const server = http.createServer((req, res) => {
  handlerSawSpan = trace.getSpan(context.active()) !== undefined;
  res.setHeader('x-served-by', 'unit');
  if (req.url === '/internal/call-out') {
    // Calls made while serving an ignored path are not traced either.
    http.get({ host: '127.0.0.1', port, path: '/health' }, (r) => r.resume().on('end', () => res.end()));
    return;
  }
  res.end('ok');
});
let port = 0;
beforeAll(async () => {
  port = await listen(server);
});
afterAll(() => close(server));
beforeEach(() => agent.reset());

describe('WAYMARK_HTTP_IGNORE_PATHS', () => {
  it('parses exact paths and * prefixes', () => {
    const cfg = httpConfigOf(readConfig({ WAYMARK_HTTP_IGNORE_PATHS: '/health, /internal/*,,' }).instrumentations.settings.http);
    expect(isIgnoredPath(cfg, '/health')).toBe(true);
    expect(isIgnoredPath(cfg, '/healthz')).toBe(false);
    expect(isIgnoredPath(cfg, '/internal/x/y')).toBe(true);
    expect(isIgnoredPath(cfg, '/internals')).toBe(false);
  });

  it('ignored paths (query ignored) get no span, nor do the calls they make', async () => {
    const r1 = await send(http, { host: '127.0.0.1', port, path: '/health?probe=1' });
    expect(r1.status).toBe(200);
    expect(handlerSawSpan).toBe(false);
    await send(http, { host: '127.0.0.1', port, path: '/internal/call-out' });
    await send(http, { host: '127.0.0.1', port, path: '/traced', headers: { 'x-request-id': 'r1' } });
    const spans = await waitForSpans(agent, (s) => servers(s).length >= 1 && clients(s).length >= 3);
    await new Promise((r) => setTimeout(r, 20));
    const all = agent.finishedSpans();
    expect(servers(all).map((s) => s.attributes['url.path'])).toEqual(['/traced']);
    // The test's own three calls are traced; the call made while serving /internal/* is not.
    expect(clients(all).map((s) => new URL(s.attributes['url.full'] as string).pathname).sort()).toEqual([
      '/health',
      '/internal/call-out',
      '/traced',
    ]);
    expect(spans.length).toBeGreaterThanOrEqual(2);
  });
});

describe('header capture (opt-in)', () => {
  it('captures only the named headers, as arrays, on both sides', async () => {
    await send(http, { host: '127.0.0.1', port, path: '/h', headers: { 'x-request-id': 'abc', 'x-multi': 'v', 'x-other': 'no' } });
    const spans = await waitForSpans(agent, (s) => servers(s).length === 1 && clients(s).length === 1);
    const [srv] = servers(spans);
    const [client] = clients(spans);
    expect(srv!.attributes['http.request.header.x-request-id']).toEqual(['abc']);
    expect(srv!.attributes['http.request.header.x-multi']).toEqual(['v']);
    expect(srv!.attributes['http.request.header.x-other']).toBeUndefined();
    expect(srv!.attributes['http.response.header.x-served-by']).toEqual(['unit']);
    expect(client!.attributes['http.request.header.x-request-id']).toEqual(['abc']);
    expect(client!.attributes['http.response.header.x-served-by']).toEqual(['unit']);
    expect(Object.keys(client!.attributes).filter((k) => k.includes('x-multi'))).toEqual([]);
  });
});
