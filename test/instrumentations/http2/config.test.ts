import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type * as Http from 'node:http';
import type * as Http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { SpanKind } from '@opentelemetry/api';
import type { SpanRecord } from '../../../src/export/span-record';
import { readConfig } from '../../../src/config';
import { pollSpans } from '../../helpers/spans';
import { nodeRequire, startTracing } from '../../helpers/tracing';
import { listen, request } from './helpers';

// The http settings apply to node:http2 as to node:http: read by src/config.ts, handed over
// through the kit. The http instrumentation is on too, to show an ignored http2 handler's
// http call is not traced either.
const settings = readConfig({
  WAYMARK_HTTP_IGNORE_PATHS: '/health, /internal/*',
  OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_SERVER_REQUEST: 'X-Request-Id,x-multi',
  OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_SERVER_RESPONSE: 'x-served-by,x-many',
  OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_CLIENT_REQUEST: 'x-request-id',
  OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_CLIENT_RESPONSE: 'x-served-by',
}).instrumentations.settings;

const { agent } = startTracing({ enabled: ['http', 'http2'], settings });
const http2 = nodeRequire('node:http2') as typeof Http2;
const http = nodeRequire('node:http') as typeof Http;

const servers = (spans: SpanRecord[]) => spans.filter((s) => s.kind === SpanKind.SERVER);
const clients = (spans: SpanRecord[]) => spans.filter((s) => s.kind === SpanKind.CLIENT);
const headerKeys = (span: SpanRecord) => Object.keys(span.attributes).filter((k) => /^http\.(request|response)\.header\./.test(k)).sort();
const pathOf = (span: SpanRecord) => new URL(String(span.attributes['url.full'])).pathname;

let origin = '';
let httpPort = 0;

/** Downstream calls made while serving `/internal/call-out`, one over http2 and one over http. */
function callOut(): Promise<unknown> {
  const viaHttp = new Promise<void>((resolve, reject) => {
    http.get({ host: '127.0.0.1', port: httpPort, path: '/health' }, (r) => r.resume().on('end', resolve)).on('error', reject);
  });
  return Promise.all([request(http2, origin, '/health'), viaHttp]);
}

const server = http2.createServer();
server.on('stream', (stream, headers) => {
  const respond = () => {
    stream.respond({ ':status': 200, 'X-Served-By': 'unit', 'x-many': ['a', 'b'], 'x-hidden': 'no' });
    stream.end('ok');
  };
  stream.on('error', () => {});
  // After a timer: what the handler calls later is suppressed too.
  const failed = () => {
    stream.respond({ ':status': 500 });
    stream.end();
  };
  if (headers[':path'] === '/internal/call-out') setTimeout(() => void callOut().then(respond, failed), 1);
  else respond();
});
const httpServer = http.createServer((_req, res) => res.end('ok'));

beforeAll(async () => {
  origin = await listen(server);
  await new Promise<void>((r) => httpServer.listen(0, '127.0.0.1', r));
  httpPort = (httpServer.address() as AddressInfo).port;
});
afterAll(() => {
  server.close();
  httpServer.close();
});
beforeEach(() => agent.reset());

describe('WAYMARK_HTTP_IGNORE_PATHS on node:http2', () => {
  it('an exact path and a prefix get no SERVER span, and the http2 and http calls they make none either', async () => {
    expect((await request(http2, origin, '/health?probe=1')).status).toBe(200);
    expect((await request(http2, origin, '/internal/call-out')).status).toBe(200);
    // Exact, not a prefix: traced.
    expect((await request(http2, origin, '/healthz')).status).toBe(200);
    await pollSpans(agent, (s) => (servers(s).length >= 1 && clients(s).length >= 3 ? true : undefined), 'the test client spans and /healthz');
    // Spans of the handler's calls, had they been made, end before its response.
    await new Promise((r) => setTimeout(r, 50));
    const all = agent.finishedSpans();
    expect(servers(all).map((s) => s.attributes['url.path'])).toEqual(['/healthz']);
    // The test's own three calls only: none made while serving /internal/call-out.
    expect(clients(all).map(pathOf).sort()).toEqual(['/health', '/healthz', '/internal/call-out']);
    expect(clients(all).every((s) => s.scope.name === 'waymark/http2')).toBe(true);
  });
});

describe('header capture (opt-in) on node:http2', () => {
  it('records only the named headers, as string arrays, on the SERVER and CLIENT spans', async () => {
    const sent = { 'X-Request-Id': 'abc', 'x-multi': 'v', 'x-other': 'no' };
    expect((await request(http2, origin, '/h', { headers: sent })).status).toBe(200);
    const { c, s } = await pollSpans(agent, (spans) => {
      const [c] = clients(spans);
      const [s] = servers(spans);
      return c && s ? { c, s } : undefined;
    }, 'the spans of /h');
    expect(s.attributes['url.path']).toBe('/h');
    expect(s.attributes['http.request.header.x-request-id']).toEqual(['abc']);
    expect(s.attributes['http.request.header.x-multi']).toEqual(['v']);
    // stream.sentHeaders keeps the app's case ('X-Served-By') and an array as given.
    expect(s.attributes['http.response.header.x-served-by']).toEqual(['unit']);
    expect(s.attributes['http.response.header.x-many']).toEqual(['a', 'b']);
    expect(headerKeys(s)).toEqual([
      'http.request.header.x-multi',
      'http.request.header.x-request-id',
      'http.response.header.x-many',
      'http.response.header.x-served-by',
    ]);
    expect(c.attributes['http.request.header.x-request-id']).toEqual(['abc']);
    expect(c.attributes['http.response.header.x-served-by']).toEqual(['unit']);
    // x-multi and x-many are named for the server side only; x-other and x-hidden nowhere.
    expect(headerKeys(c)).toEqual(['http.request.header.x-request-id', 'http.response.header.x-served-by']);
  });
});

describe('the compat API', () => {
  it('an ignored path gets no span; headers set with setHeader are captured on a traced one', async () => {
    const compat = http2.createServer((req, res) => {
      res.setHeader('X-Served-By', 'compat');
      res.setHeader('x-hidden', 'no');
      res.end('ok');
    });
    const compatOrigin = await listen(compat);
    try {
      await request(http2, compatOrigin, '/internal/x');
      await request(http2, compatOrigin, '/c', { headers: { 'x-request-id': 'r2' } });
      const s = await pollSpans(agent, (spans) => servers(spans)[0], 'the SERVER span of /c');
      await new Promise((r) => setTimeout(r, 20));
      expect(servers(agent.finishedSpans()).map((x) => x.attributes['url.path'])).toEqual(['/c']);
      expect(s.attributes['http.request.header.x-request-id']).toEqual(['r2']);
      expect(s.attributes['http.response.header.x-served-by']).toEqual(['compat']);
      expect(headerKeys(s)).toEqual(['http.request.header.x-request-id', 'http.response.header.x-served-by']);
    } finally {
      compat.close();
    }
  });
});
