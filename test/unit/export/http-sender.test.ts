import { ROOT_CONTEXT, context, type Context, type ContextManager } from '@opentelemetry/api';
import { AsyncLocalStorage } from 'node:async_hooks';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { gunzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HttpSender, parseRetryAfter, type HttpSenderOptions } from '../../../src/export/http-sender';
import { isTracingSuppressed } from '../../../src/suppress';
import { startOtlpReceiver, type OtlpReceiver } from '../../helpers/otlp-receiver';
import { closedPort } from '../../helpers/closed-port';
import { runNode } from '../../helpers/run-node';

// Node's default server keep-alive timeout, which the test receiver keeps.
const RECEIVER_KEEP_ALIVE_MS = 5000;

let receiver: OtlpReceiver;
const senders: HttpSender[] = [];
// These bodies are not OTLP: answer 200 unless a test says otherwise.
const accept = (): { status: number } => ({ status: 200 });

function sender(overrides: Partial<HttpSenderOptions> = {}): HttpSender {
  const s = new HttpSender({
    url: receiver.url,
    headers: { 'x-api-key': 'secret' },
    contentType: 'application/x-protobuf',
    compression: 'none',
    timeoutMs: 3000,
    initialBackoffMs: 20,
    ...overrides,
  });
  senders.push(s);
  return s;
}

beforeAll(async () => {
  receiver = await startOtlpReceiver({ responder: accept });
});
afterEach(() => {
  receiver.setResponder(accept);
  receiver.requests.length = 0;
  for (const s of senders.splice(0)) s.shutdown();
});
afterAll(async () => {
  await receiver.close();
});

describe('parseRetryAfter', () => {
  it('reads delay-seconds and HTTP dates, and ignores what is neither', () => {
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:27:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-1', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

describe('HttpSender', () => {
  it('POSTs the body with the given headers, content type and length', async () => {
    const result = await sender().send(Buffer.from('hello'));
    expect(result).toMatchObject({ ok: true, status: 200, attempts: 1 });
    const [req] = receiver.requests;
    expect(req!.method).toBe('POST');
    expect(req!.path).toBe('/v1/traces');
    expect(req!.headers['x-api-key']).toBe('secret');
    expect(req!.headers['content-type']).toBe('application/x-protobuf');
    expect(req!.headers['content-length']).toBe('5');
    expect(req!.headers['content-encoding']).toBeUndefined();
    expect(req!.rawBody.toString()).toBe('hello');
  });

  it('leaves out headers that could break the request, and sends the rest', async () => {
    const result = await sender({ headers: { 'x-ok': 'v', 'x-bad': 'a\r\nInjected: 1', 'bad name': 'v', 'Content-Length': '1' } }).send('hello');
    expect(result.ok).toBe(true);
    const [req] = receiver.requests;
    expect(req!.headers['x-ok']).toBe('v');
    expect(req!.headers['x-bad']).toBeUndefined();
    expect(req!.headers.injected).toBeUndefined();
    expect(req!.headers['content-length']).toBe('5');
    expect(req!.rawBody.toString()).toBe('hello');
  });

  it('gzips the body and says so when compression is gzip', async () => {
    const text = 'span '.repeat(1000);
    await sender({ compression: 'gzip' }).send(text);
    const [req] = receiver.requests;
    expect(req!.headers['content-encoding']).toBe('gzip');
    expect(req!.rawBody.length).toBeLessThan(text.length / 10);
    expect(gunzipSync(req!.rawBody).toString()).toBe(text);
  });

  it('reuses one keep-alive connection for consecutive sends', async () => {
    const s = sender();
    await s.send('a');
    await s.send('b');
    expect(receiver.requests).toHaveLength(2);
    expect(receiver.requests[0]!.remotePort).toBe(receiver.requests[1]!.remotePort);
    expect(receiver.requests[0]!.headers.connection).toBe('keep-alive');
  });

  it('waits for Retry-After on 503, then succeeds', async () => {
    receiver.setResponder((_req, i) => (i === 0 ? { status: 503, headers: { 'Retry-After': '1' } } : accept()));
    const started = Date.now();
    const result = await sender().send('x');
    expect(result).toMatchObject({ ok: true, status: 200, attempts: 2 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(receiver.requests).toHaveLength(2);
  });

  it('retries 429, 502 and 504 with backoff', async () => {
    const statuses = [429, 502, 504];
    receiver.setResponder((_req, i) => (i < statuses.length ? { status: statuses[i] } : accept()));
    const result = await sender().send('x');
    expect(result).toMatchObject({ ok: true, attempts: 4 });
  });

  it('does not retry 400 or 500, and returns the status and body', async () => {
    for (const status of [400, 500]) {
      receiver.requests.length = 0;
      receiver.setResponder(() => ({ status, body: 'bad payload' }));
      const result = await sender().send('x');
      expect(result.ok).toBe(false);
      expect(result.status).toBe(status);
      expect(result.attempts).toBe(1);
      expect(result.body.toString()).toBe('bad payload');
      expect(result.error?.message).toContain(String(status));
      expect(receiver.requests).toHaveLength(1);
    }
  });

  it('gives up at once when Retry-After points past the deadline', async () => {
    receiver.setResponder(() => ({ status: 503, headers: { 'Retry-After': '30' } }));
    const started = Date.now();
    const result = await sender({ timeoutMs: 2000 }).send('x');
    expect(result).toMatchObject({ ok: false, status: 503, attempts: 1 });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('retries a refused connection until the deadline, then resolves with the error', async () => {
    const port = await closedPort();
    const started = Date.now();
    const result = await sender({ url: `http://127.0.0.1:${port}/v1/traces`, timeoutMs: 800 }).send('x');
    const elapsed = Date.now() - started;
    expect(result.ok).toBe(false);
    expect(result.status).toBe(0);
    expect((result.error as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
    expect(result.attempts).toBeGreaterThan(1);
    expect(elapsed).toBeLessThanOrEqual(900);
  });

  it('bounds a hanging request by the timeout', async () => {
    receiver.setResponder(() => 'hang');
    const started = Date.now();
    const result = await sender({ timeoutMs: 400 }).send('x');
    expect(result.ok).toBe(false);
    expect(result.error?.message).toMatch(/timed out/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(380);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('retries when the server drops the connection without answering', async () => {
    receiver.setResponder((_req, i) => (i === 0 ? 'reset' : accept()));
    const result = await sender().send('x');
    expect(result).toMatchObject({ ok: true, attempts: 2 });
  });

  it('stops a pending retry when shut down', async () => {
    receiver.setResponder(() => ({ status: 503, headers: { 'Retry-After': '5' } }));
    const s = sender({ timeoutMs: 10_000 });
    const pending = s.send('x');
    await receiver.waitForRequests(1);
    const started = Date.now();
    s.shutdown();
    const result = await pending;
    expect(result.ok).toBe(false);
    expect(Date.now() - started).toBeLessThan(500);
    expect((await s.send('y')).ok).toBe(false);
    expect(receiver.requests).toHaveLength(1);
  });

  it('leaves its idle pooled connection unreferenced, so it cannot keep the process alive', async () => {
    // Two sends on one kept-alive connection, then nothing: the process must end by itself
    // well before the receiver's keep-alive timeout would close that connection.
    const script = `
      const { HttpSender } = require('./build/src/export/http-sender.js');
      const s = new HttpSender({ url: process.env.RECEIVER, headers: {}, contentType: 'text/plain', compression: 'none', timeoutMs: 3000 });
      s.send('a').then(() => s.send('b')).then((r) => console.log(JSON.stringify({ ok: r.ok, sentAt: Date.now() })));`;
    const { code, stdout } = await runNode(['-e', script], { env: { RECEIVER: receiver.url } });
    const exitedAt = Date.now();
    expect(code).toBe(0);
    const { ok, sentAt } = JSON.parse(stdout) as { ok: boolean; sentAt: number };
    expect(ok).toBe(true);
    expect(receiver.requests).toHaveLength(2);
    expect(receiver.requests[0]!.remotePort).toBe(receiver.requests[1]!.remotePort);
    expect(exitedAt - sentAt).toBeLessThan(RECEIVER_KEEP_ALIVE_MS - 1000);
  });

  it('makes its requests with tracing suppressed', async () => {
    const als = new AsyncLocalStorage<Context>();
    const manager: ContextManager = {
      active: () => als.getStore() ?? ROOT_CONTEXT,
      with: (ctx, fn, thisArg, ...args) => als.run(ctx, () => fn.call(thisArg, ...args)),
      bind: (_ctx, target) => target,
      enable() {
        return this;
      },
      disable() {
        return this;
      },
    };
    context.setGlobalContextManager(manager);
    const seen: boolean[] = [];
    const onConnect = (): void => {
      seen.push(isTracingSuppressed(context.active()));
    };
    subscribe('net.client.socket', onConnect);
    try {
      // The 503 closes its connection, so the retry (after gzip and a timer) opens another.
      receiver.setResponder((_req, i) => (i === 0 ? { status: 503, headers: { 'Retry-After': '0', Connection: 'close' } } : accept()));
      await sender({ compression: 'gzip' }).send('x');
    } finally {
      unsubscribe('net.client.socket', onConnect);
      context.disable();
    }
    expect(receiver.requests).toHaveLength(2);
    expect(seen).toEqual([true, true]);
  });
});
