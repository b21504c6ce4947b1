import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as Http from 'node:http';
import type * as Https from 'node:https';
import type { AddressInfo } from 'node:net';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { suppressTracing } from '../../../src/suppress';
import { clients, close, listen, readBody, servers, traceparentOf } from './helpers';
import { waitForSpans } from '../../helpers/spans';
import { nodeRequire, startTracing } from '../../helpers/tracing';

const { agent } = startTracing();
const http = nodeRequire('node:http') as typeof Http;
const https = nodeRequire('node:https') as typeof Https;

const received: Array<{ url: string; traceparent: string | undefined }> = [];
const onRequest = (req: Http.IncomingMessage, res: Http.ServerResponse) => {
  received.push({ url: req.url ?? '', traceparent: req.headers.traceparent as string | undefined });
  res.statusCode = req.url?.startsWith('/status/') ? Number(req.url.slice(8)) : 200;
  res.end('body');
};
const server = http.createServer(onRequest);
let port = 0;
let tlsServer: Https.Server;
let tlsPort = 0;

beforeAll(async () => {
  port = await listen(server);
  const dir = mkdtempSync(join(tmpdir(), 'waymark-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-subj', '/CN=localhost', '-days', '1'], { stdio: 'ignore' });
  tlsServer = https.createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, onRequest);
  tlsPort = await listen(tlsServer);
});
afterAll(async () => {
  await close(server);
  await close(tlsServer);
});
beforeEach(() => {
  agent.reset();
  received.length = 0;
});

/** Waits for the response of `req` (callback or 'response' listener form). */
function done(req: Http.ClientRequest): Promise<Http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    req.on('response', (res) => readBody(res).then(() => resolve(res), reject));
    req.on('error', reject);
  });
}

/** One client + one server span; checks the client span and the injected header. */
async function expectTraced(pathAndQuery: string, scheme = 'http', p = port) {
  const spans = await waitForSpans(agent, (s) => clients(s).length === 1 && servers(s).length === 1);
  const [client] = clients(spans);
  const [srv] = servers(spans);
  expect(client!.name).toBe('GET');
  expect(client!.attributes).toMatchObject({
    'http.request.method': 'GET',
    'server.address': '127.0.0.1',
    'server.port': p,
    'url.full': `${scheme}://127.0.0.1:${p}${pathAndQuery}`,
    'http.response.status_code': 200,
    'network.protocol.version': '1.1',
  });
  expect(received).toHaveLength(1);
  expect(received[0]!.traceparent).toBe(traceparentOf(client!));
  expect(srv!.parentSpanId).toBe(client!.spanId);
  expect(srv!.traceId).toBe(client!.traceId);
  return client!;
}

describe('http client call forms', () => {
  it('request(string, callback)', async () => {
    await new Promise<void>((resolve) => http.request(`http://127.0.0.1:${port}/a?x=1`, (res) => readBody(res).then(() => resolve())).end());
    await expectTraced('/a?x=1');
  });

  it('request(URL) without callback', async () => {
    const req = http.request(new URL(`http://127.0.0.1:${port}/b`));
    req.end();
    await done(req);
    await expectTraced('/b');
  });

  it('request(options, callback)', async () => {
    await new Promise<void>((resolve) =>
      http.request({ host: '127.0.0.1', port, path: '/c', headers: { 'x-app': '1' } }, (res) => readBody(res).then(() => resolve())).end(),
    );
    await expectTraced('/c');
  });

  it('request(url, options, callback) with options overriding', async () => {
    await new Promise<void>((resolve) =>
      http.request(`http://127.0.0.1:${port}/ignored`, { path: '/d?token=abc' }, (res) => readBody(res).then(() => resolve())).end(),
    );
    await expectTraced('/d?token=REDACTED');
  });

  it('get(string) without callback, get(options, callback)', async () => {
    await done(http.get(`http://127.0.0.1:${port}/e`));
    await expectTraced('/e');
    agent.reset();
    received.length = 0;
    await new Promise<void>((resolve) => http.get({ host: '127.0.0.1', port, path: '/f' }, (res) => readBody(res).then(() => resolve())));
    await expectTraced('/f');
  });

  it('https.request and https.get', async () => {
    const agentOpts = { rejectUnauthorized: false };
    await done(https.get(`https://127.0.0.1:${tlsPort}/g`, agentOpts));
    const client = await expectTraced('/g', 'https', tlsPort);
    expect(client.kind).toBe(SpanKind.CLIENT);
    const srv = servers(agent.finishedSpans())[0]!;
    expect(srv.attributes['url.scheme']).toBe('https');
    agent.reset();
    received.length = 0;
    const req = https.request({ host: '127.0.0.1', port: tlsPort, path: '/h', ...agentOpts });
    req.end();
    await done(req);
    await expectTraced('/h', 'https', tlsPort);
  });
});

describe('http client status and errors', () => {
  it('marks >= 400 as ERROR with error.type', async () => {
    await done(http.get(`http://127.0.0.1:${port}/status/404`));
    const [client] = clients(await waitForSpans(agent, (s) => clients(s).length === 1));
    expect(client!.status.code).toBe(SpanStatusCode.ERROR);
    expect(client!.attributes['error.type']).toBe('404');
    expect(client!.attributes['http.response.status_code']).toBe(404);
  });

  it('ECONNREFUSED ends the span once with the error', async () => {
    const closed = http.createServer();
    const deadPort = await listen(closed);
    await close(closed);
    const err = await new Promise<NodeJS.ErrnoException>((resolve) => http.get({ host: '127.0.0.1', port: deadPort, path: '/' }).on('error', resolve));
    expect(err.code).toBe('ECONNREFUSED');
    await new Promise((r) => setTimeout(r, 20));
    const spans = clients(agent.finishedSpans());
    expect(spans).toHaveLength(1);
    expect(spans[0]!.status.code).toBe(SpanStatusCode.ERROR);
    expect(spans[0]!.attributes['error.type']).toBe('ECONNREFUSED');
    expect(spans[0]!.events.map((e) => e.name)).toEqual(['exception']);
  });

  it('an aborted request ends the span once as an error', async () => {
    const hang = http.createServer(() => {});
    const hangPort = await listen(hang);
    const req = http.get({ host: '127.0.0.1', port: hangPort, path: '/' });
    const errored = new Promise((resolve) => req.on('error', resolve));
    const closedEv = new Promise((resolve) => req.on('close', resolve));
    await new Promise((r) => setTimeout(r, 30));
    req.destroy();
    await errored;
    await closedEv;
    await close(hang);
    const spans = clients(agent.finishedSpans());
    expect(spans).toHaveLength(1);
    expect(spans[0]!.status.code).toBe(SpanStatusCode.ERROR);
    expect(spans[0]!.attributes['error.type']).toBe('ECONNRESET');
  });

  it('an AbortSignal abort is recorded as AbortError', async () => {
    const hang = http.createServer(() => {});
    const hangPort = await listen(hang);
    const ac = new AbortController();
    const req = http.get({ host: '127.0.0.1', port: hangPort, path: '/', signal: ac.signal });
    const errored = new Promise((resolve) => req.on('error', resolve));
    setTimeout(() => ac.abort(), 20);
    await errored;
    await close(hang);
    const spans = clients(agent.finishedSpans());
    expect(spans).toHaveLength(1);
    expect(spans[0]!.attributes['error.type']).toBe('ABORT_ERR');
  });
});

describe('http client context', () => {
  it('callbacks and response events run in the caller context, not the client span', async () => {
    const tracer = trace.getTracer('manual');
    const parent = tracer.startSpan('parent');
    const seen: Array<string | undefined> = [];
    const active = () => trace.getSpan(context.active())?.spanContext().spanId;
    await context.with(trace.setSpan(context.active(), parent), () =>
      new Promise<void>((resolve) =>
        http.get({ host: '127.0.0.1', port, path: '/ctx' }, (res) => {
          seen.push(active());
          res.on('data', () => seen.push(active()));
          res.on('end', () => {
            seen.push(active());
            resolve();
          });
        }),
      ),
    );
    parent.end();
    const spans = await waitForSpans(agent, (s) => clients(s).length === 1);
    expect(clients(spans)[0]!.parentSpanId).toBe(parent.spanContext().spanId);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(new Set(seen)).toEqual(new Set([parent.spanContext().spanId]));
  });

  it('does nothing when tracing is suppressed (the exporter own traffic)', async () => {
    await context.with(suppressTracing(context.active()), () => done(http.get(`http://127.0.0.1:${port}/quiet`)));
    await new Promise((r) => setTimeout(r, 20));
    expect(clients(agent.finishedSpans())).toHaveLength(0);
    expect(received[0]!.traceparent).toBeUndefined();
  });

  it('does not inject when the head is already written (array headers) but still traces', async () => {
    const req = http.request({ host: '127.0.0.1', port, path: '/arr', headers: ['host', `127.0.0.1:${port}`, 'x-a', '1'] as unknown as Http.OutgoingHttpHeaders });
    req.end();
    await done(req);
    const [client] = clients(await waitForSpans(agent, (s) => clients(s).length === 1));
    expect(client!.attributes['http.response.status_code']).toBe(200);
    expect(received[0]!.traceparent).toBeUndefined();
    expect((server.address() as AddressInfo).port).toBe(port);
  });
});
