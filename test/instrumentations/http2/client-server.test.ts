import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type * as Http2 from 'node:http2';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { SpanRecord } from '../../../src/export/span-record';
import { makeTestCerts, type TestCerts } from '../../helpers/test-certs';
import { inParent, pollSpans, spansOf } from '../../helpers/spans';
import { nodeRequire, startTracing } from '../../helpers/tracing';
import { listen, request } from './helpers';

// Real node:http2, server and client in this process: CLIENT and SERVER spans named and
// attributed as the http instrumentation's, the trace carried in the request's headers,
// for the 'stream' API, the compat 'request' API and TLS.
const { agent } = startTracing({ enabled: ['http2'] });
const http2 = nodeRequire('node:http2') as typeof Http2;

function activeSpanId(): string {
  return trace.getActiveSpan()?.spanContext().spanId ?? '';
}

/** The CLIENT and SERVER span of one exchange to `path`. */
function exchange(path: string): Promise<{ c: SpanRecord; s: SpanRecord }> {
  return pollSpans(agent, (spans) => {
    const s = spans.find((x) => x.kind === SpanKind.SERVER && x.attributes['url.path'] === path);
    const c = spans.find((x) => x.kind === SpanKind.CLIENT && String(x.attributes['url.full']).includes(path));
    return s && c ? { c, s } : undefined;
  }, `the spans of ${path}`);
}

describe("the 'stream' API", () => {
  let server: Http2.Http2Server;
  let origin: string;
  beforeAll(async () => {
    server = http2.createServer();
    server.on('stream', (stream, headers) => {
      const path = String(headers[':path']);
      // Work after an await still runs in the server span's context.
      setTimeout(() => {
        stream.respond({ ':status': path.startsWith('/missing') ? 404 : path.startsWith('/fail') ? 503 : 200, 'content-type': 'text/plain' });
        stream.end(`${activeSpanId()} ${headers.traceparent ?? ''}`);
      }, 1);
    });
    origin = await listen(server);
  });
  afterAll(() => server.close());
  beforeEach(() => agent.reset());

  it('CLIENT under the caller, SERVER its child, the handler in the SERVER span', async () => {
    const { result, parent } = await inParent(() => request(http2, origin, '/items?color=red&token=secret'));
    const { c, s } = await exchange('/items');
    const [handlerSpanId, traceparent] = result.body.split(' ');
    expect(result.status).toBe(200);
    const port = Number(new URL(origin).port);
    expect(c.name).toBe('GET');
    expect(c.kind).toBe(SpanKind.CLIENT);
    expect(c.attributes).toMatchObject({
      'http.request.method': 'GET',
      'server.address': '127.0.0.1',
      'server.port': port,
      'url.full': `http://127.0.0.1:${port}/items?color=red&token=REDACTED`,
      'http.response.status_code': 200,
      'network.protocol.version': '2',
    });
    expect(c.parentSpanId).toBe(parent.spanContext().spanId);
    expect(s.name).toBe('GET');
    expect(s.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.scheme': 'http',
      'url.path': '/items',
      'url.query': 'color=red&token=REDACTED',
      'server.address': '127.0.0.1',
      'server.port': port,
      'client.address': '127.0.0.1',
      'http.response.status_code': 200,
      'network.protocol.version': '2',
    });
    expect(s.traceId).toBe(c.traceId);
    expect(s.parentSpanId).toBe(c.spanId);
    expect(handlerSpanId).toBe(s.spanId);
    expect(traceparent).toMatch(new RegExp(`^00-${c.traceId}-${c.spanId}-0[13]$`));
    for (const span of [c, s]) expect(span.status.code).toBe(SpanStatusCode.UNSET);
    // No header is captured unless named (config.test.ts names some).
    for (const span of [c, s]) expect(Object.keys(span.attributes).filter((k) => k.includes('.header.'))).toEqual([]);
  });

  it('404: an error for the client only; 503: for both', async () => {
    expect((await request(http2, origin, '/missing')).status).toBe(404);
    expect((await request(http2, origin, '/fail')).status).toBe(503);
    const missing = await exchange('/missing');
    expect(missing.c.status.code).toBe(SpanStatusCode.ERROR);
    expect(missing.c.attributes['error.type']).toBe('404');
    expect(missing.s.status.code).toBe(SpanStatusCode.UNSET);
    expect(missing.s.attributes['http.response.status_code']).toBe(404);
    const failed = await exchange('/fail');
    for (const span of [failed.c, failed.s]) {
      expect(span.status.code).toBe(SpanStatusCode.ERROR);
      expect(span.attributes['error.type']).toBe('503');
    }
  });

  it("the app's headers object is sent with the trace but left as it was", async () => {
    const headers = { ':path': '/kept', 'x-app': 'a' };
    const session = http2.connect(origin);
    await inParent(
      () =>
        new Promise<void>((resolve, reject) => {
          const stream = session.request(headers);
          stream.on('error', reject);
          stream.resume();
          stream.on('end', resolve);
          stream.end();
        }),
    );
    session.close();
    expect(headers).toEqual({ ':path': '/kept', 'x-app': 'a' });
    const { c, s } = await exchange('/kept');
    expect(s.parentSpanId).toBe(c.spanId);
  });

  it("response listeners run in the caller's context, not the session's", async () => {
    const session = http2.connect(origin);
    const seen: string[] = [];
    const { parent } = await inParent(
      () =>
        new Promise<void>((resolve) => {
          const stream = session.request({ ':path': '/ctx' });
          stream.on('response', () => seen.push(activeSpanId()));
          stream.on('data', () => seen.push(activeSpanId()));
          stream.on('end', resolve);
          stream.end();
        }),
    );
    session.close();
    expect(seen.length).toBeGreaterThanOrEqual(2);
    for (const id of seen) expect(id).toBe(parent.spanContext().spanId);
  });
});

describe('a stream closed before its response', () => {
  it('is an aborted error on both sides', async () => {
    let closedOnServer!: () => void;
    const serverClosed = new Promise<void>((r) => (closedOnServer = r));
    const server = http2.createServer();
    server.on('stream', (stream) => stream.on('close', closedOnServer));
    const origin = await listen(server);
    const session = http2.connect(origin);
    await inParent(
      () =>
        new Promise<void>((resolve) => {
          const stream = session.request({ ':path': '/hang' });
          stream.on('close', resolve);
          stream.on('error', () => {});
          setTimeout(() => stream.close(http2.constants.NGHTTP2_CANCEL), 20);
        }),
    );
    await serverClosed;
    session.close();
    server.close();
    const { c, s } = await exchange('/hang');
    for (const span of [c, s]) {
      expect(span.status.code).toBe(SpanStatusCode.ERROR);
      expect(span.attributes['error.type']).toBe('aborted');
    }
  });
});

describe('the compat API and TLS', () => {
  let certs: TestCerts;
  let server: Http2.Http2SecureServer;
  let origin: string;
  beforeAll(async () => {
    certs = makeTestCerts();
    server = http2.createSecureServer({ key: certs.pem(certs.serverKey), cert: certs.pem(certs.serverCert) }, (req, res) => {
      req.on('data', () => {});
      req.on('end', () => {
        res.statusCode = req.url === '/boom' ? 500 : 201;
        res.end(activeSpanId());
      });
    });
    origin = await listen(server, 'https');
  });
  afterAll(() => {
    server.close();
    certs.remove();
  });

  it("createSecureServer's request handler runs in the SERVER span; https scheme; POST", async () => {
    const connect = { ca: certs.pem(certs.caCert) };
    const { result } = await inParent(() => request(http2, origin.replace('127.0.0.1', 'localhost'), '/things', { method: 'POST', connect }));
    expect(result.status).toBe(201);
    const { c, s } = await exchange('/things');
    expect(c.name).toBe('POST');
    expect(s.name).toBe('POST');
    expect(c.attributes['url.full']).toMatch(/^https:\/\/localhost:\d+\/things$/);
    expect(s.attributes['url.scheme']).toBe('https');
    expect(s.attributes['http.response.status_code']).toBe(201);
    expect(s.parentSpanId).toBe(c.spanId);
    expect(result.body).toBe(s.spanId);
  });

  it('a 500 from the compat handler is an error for both', async () => {
    await request(http2, origin.replace('127.0.0.1', 'localhost'), '/boom', { connect: { ca: certs.pem(certs.caCert) } });
    const { c, s } = await exchange('/boom');
    for (const span of [c, s]) expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(spansOf(agent, 'http2').length).toBeGreaterThanOrEqual(2);
  });
});
