import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import type * as Http from 'node:http';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { close, listen, send, servers } from './helpers';
import { waitForSpans } from '../../helpers/spans';
import { nodeRequire, startTracing } from '../../helpers/tracing';

const { agent } = startTracing();
const http = nodeRequire('node:http') as typeof Http;

type Handler = (req: Http.IncomingMessage, res: Http.ServerResponse) => void;
let handler: Handler = (_req, res) => res.end('ok');
const server = http.createServer((req, res) => handler(req, res));
let port = 0;

beforeAll(async () => {
  port = await listen(server);
});
afterAll(() => close(server));
beforeEach(() => agent.reset());

/** Sends with tracing suppressed so only the server span is recorded. */
function request(options: Http.RequestOptions & { body?: string }) {
  return context.with(
    context.active().setValue(Symbol.for('OpenTelemetry SDK Context Key SUPPRESS_TRACING'), true),
    () => send(http, { host: '127.0.0.1', port, ...options }),
  );
}

describe('http server spans', () => {
  it('records a SERVER span named by the method with the semconv attributes', async () => {
    handler = (_req, res) => res.end('ok');
    await request({ path: '/users/42?page=2&token=secret', headers: { 'user-agent': 'test-agent/1.0' } });
    const [span] = servers(await waitForSpans(agent, (s) => servers(s).length === 1));
    expect(span!.name).toBe('GET');
    expect(span!.kind).toBe(SpanKind.SERVER);
    expect(span!.parentSpanId).toBeUndefined();
    expect(span!.status.code).toBe(SpanStatusCode.UNSET);
    expect(span!.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.path': '/users/42',
      'url.query': 'page=2&token=REDACTED',
      'url.scheme': 'http',
      'server.address': '127.0.0.1',
      'server.port': port,
      'network.protocol.version': '1.1',
      'user_agent.original': 'test-agent/1.0',
      'client.address': '127.0.0.1',
      'http.response.status_code': 200,
    });
    expect(span!.attributes['url.full']).toBeUndefined();
  });

  it('continues an incoming traceparent', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    await request({ path: '/', headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01` } });
    const [span] = servers(await waitForSpans(agent, (s) => servers(s).length === 1));
    expect(span!.traceId).toBe(traceId);
    expect(span!.parentSpanId).toBe('b7ad6b7169203331');
    expect(span!.parentIsRemote).toBe(true);
  });

  it('marks 5xx as ERROR with error.type, leaves 4xx unset', async () => {
    handler = (req, res) => {
      res.statusCode = req.url === '/fail' ? 503 : 404;
      res.end();
    };
    await request({ path: '/fail' });
    await request({ path: '/missing' });
    const spans = servers(await waitForSpans(agent, (s) => servers(s).length === 2));
    const fail = spans.find((s) => s.attributes['url.path'] === '/fail')!;
    const missing = spans.find((s) => s.attributes['url.path'] === '/missing')!;
    expect(fail.status.code).toBe(SpanStatusCode.ERROR);
    expect(fail.attributes['error.type']).toBe('503');
    expect(fail.attributes['http.response.status_code']).toBe(503);
    expect(missing.status.code).toBe(SpanStatusCode.UNSET);
    expect(missing.attributes['error.type']).toBeUndefined();
  });

  it('normalises unknown methods to _OTHER and names the span HTTP', async () => {
    handler = (_req, res) => res.end();
    await request({ path: '/', method: 'PURGE' });
    const [span] = servers(await waitForSpans(agent, (s) => servers(s).length === 1));
    expect(span!.name).toBe('HTTP');
    expect(span!.attributes['http.request.method']).toBe('_OTHER');
    expect(span!.attributes['http.request.method_original']).toBe('PURGE');
  });

  it('ends an aborted request once, as an error', async () => {
    let closed!: () => void;
    const done = new Promise<void>((r) => (closed = r));
    handler = (_req, res) => {
      res.on('close', () => closed());
      // Never responds: the client goes away.
    };
    const req = http.request({ host: '127.0.0.1', port, path: '/slow' });
    req.on('error', () => {});
    req.end();
    await new Promise((r) => setTimeout(r, 50));
    req.destroy();
    await done;
    await new Promise((r) => setTimeout(r, 20));
    const spans = servers(agent.finishedSpans()).filter((s) => s.attributes['url.path'] === '/slow');
    expect(spans).toHaveLength(1);
    expect(spans[0]!.status.code).toBe(SpanStatusCode.ERROR);
    expect(spans[0]!.attributes['error.type']).toBe('aborted');
  });
});

describe('context inside handlers', () => {
  it('the server span is active in the handler and survives await, timers, promises and req/res events', async () => {
    const seen: Record<string, string | undefined> = {};
    const active = () => trace.getSpan(context.active())?.spanContext().spanId;
    handler = (req, res) => {
      seen.handler = active();
      setTimeout(() => (seen.timer = active()), 1);
      Promise.resolve().then(() => (seen.promise = active()));
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => {
        body += c;
        seen.data = active();
      });
      req.on('end', async () => {
        seen.end = active();
        await new Promise((r) => setTimeout(r, 5));
        seen.afterAwait = active();
        res.on('finish', () => (seen.finish = active()));
        res.end(body);
      });
    };
    // The body arrives in a later packet than the head: its events come from the socket.
    const req = http.request({ host: '127.0.0.1', port, path: '/ctx', method: 'POST' });
    req.flushHeaders();
    await new Promise((r) => setTimeout(r, 30));
    req.write('hello');
    await new Promise((r) => setTimeout(r, 30));
    req.end(' world');
    await new Promise<void>((resolve) => req.on('response', (res) => res.resume().on('end', () => resolve())));
    const spans = await waitForSpans(agent, (s) => servers(s).length === 1);
    const id = servers(spans)[0]!.spanId;
    expect(seen).toEqual({ handler: id, timer: id, promise: id, data: id, end: id, afterAwait: id, finish: id });
  });

  it('a manual span and an outbound call in a handler are children of the server span', async () => {
    handler = (req, res) => {
      if (req.url === '/leaf') return void res.end('leaf');
      const tracer = trace.getTracer('manual');
      tracer.startActiveSpan('work', (work) => work.end());
      http.get({ host: '127.0.0.1', port, path: '/leaf' }, (r) => r.resume().on('end', () => res.end('root')));
    };
    await request({ path: '/root' });
    const spans = await waitForSpans(agent, (s) => s.length === 4);
    const root = spans.find((s) => s.kind === SpanKind.SERVER && s.attributes['url.path'] === '/root')!;
    const work = spans.find((s) => s.name === 'work')!;
    const client = spans.find((s) => s.kind === SpanKind.CLIENT)!;
    const leaf = spans.find((s) => s.kind === SpanKind.SERVER && s.attributes['url.path'] === '/leaf')!;
    expect(work.parentSpanId).toBe(root.spanId);
    expect(client.parentSpanId).toBe(root.spanId);
    expect(leaf.parentSpanId).toBe(client.spanId);
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
  });
});

describe('the emit wrappers hand calls through unchanged', () => {
  /** A request/response pair for a server's 'request' event, without a socket connection. */
  function pair() {
    const net = nodeRequire('node:net') as typeof import('node:net');
    const req = new http.IncomingMessage(new net.Socket());
    req.method = 'GET';
    req.url = '/direct';
    req.headers = { host: 'example.test' };
    return { req, res: new http.ServerResponse(req) };
  }

  it('a synchronous throw of the handler reaches the emitter as is; the span ends as an error', async () => {
    const direct = http.createServer();
    const boom = new Error('handler broke');
    direct.on('request', () => {
      throw boom;
    });
    const { req, res } = pair();
    const before = context.active();
    expect(() => direct.emit('request', req, res)).toThrow(boom);
    expect(context.active()).toBe(before); // the request's context did not leak out
    const spans = await waitForSpans(agent, (s) => servers(s).length === 1);
    const span = servers(spans)[0]!;
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    // Caught by the caller, the error never reaches the agent (it does not catch it: see
    // listener-throw.ts); an uncaught one is recorded (test/safety/crash-reports).
    expect(span.attributes['error.type']).toBe('_OTHER');
  });

  it('events of a traced response get all their arguments, in the request context, and errors of listeners', async () => {
    const direct = http.createServer();
    let requestSpanId: string | undefined;
    const seen: unknown[] = [];
    let res: Http.ServerResponse | undefined;
    direct.on('request', (_req: unknown, r: Http.ServerResponse) => {
      requestSpanId = trace.getSpan(context.active())?.spanContext().spanId;
      res = r;
    });
    const p = pair();
    direct.emit('request', p.req, p.res);
    expect(requestSpanId).toBeDefined();
    const outside = context.active();
    res!.on('custom', function (this: unknown, ...args: unknown[]) {
      seen.push(this === res, args, trace.getSpan(context.active())?.spanContext().spanId);
    });
    expect(res!.emit('custom', 1, 'two', undefined, null, 5)).toBe(true);
    expect(seen).toEqual([true, [1, 'two', undefined, null, 5], requestSpanId]);
    const err = new Error('listener broke');
    res!.on('fails', () => {
      throw err;
    });
    expect(() => res!.emit('fails')).toThrow(err);
    expect(context.active()).toBe(outside);
    expect(res!.emit('nobody-listens', 1)).toBe(false);
  });
});
