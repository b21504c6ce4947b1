import { SpanKind } from '@opentelemetry/api';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setLogSink } from '../../../src/diag';
import { OtlpHttpExporter, type OtlpHttpExporterOptions } from '../../../src/export/otlp-http-exporter';
import { startOtlpGrpcReceiver, TRACE_EXPORT_PATH, type OtlpGrpcReceiver } from '../../helpers/otlp-grpc-receiver';
import { attributeMap } from '../../helpers/otlp-receiver';
import { closedPort } from '../../helpers/closed-port';
import { runNode } from '../../helpers/run-node';
import { RESOURCE, makeSpan } from './fixtures';

const UNAVAILABLE = 14;
const INVALID_ARGUMENT = 3;
const RESOURCE_EXHAUSTED = 8;

let receiver: OtlpGrpcReceiver;
let logs: string[] = [];
const exporters: OtlpHttpExporter[] = [];

function exporter(overrides: Partial<OtlpHttpExporterOptions> = {}): OtlpHttpExporter {
  const e = new OtlpHttpExporter({
    url: receiver.url,
    protocol: 'grpc',
    headers: { authorization: 'Bearer t0k3n', 'X-Tenant': 'acme' },
    compression: 'none',
    timeoutMs: 3000,
    resource: RESOURCE,
    ...overrides,
  });
  exporters.push(e);
  return e;
}

beforeAll(async () => {
  receiver = await startOtlpGrpcReceiver();
  setLogSink((line) => logs.push(line));
});
beforeEach(() => {
  logs = [];
});
afterEach(async () => {
  receiver.setResponder(undefined);
  receiver.calls.length = 0;
  for (const e of exporters.splice(0)) await e.shutdown();
});
afterAll(async () => {
  setLogSink((l) => process.stderr.write(l + '\n'));
  await receiver.close();
});

describe('OtlpHttpExporter with protocol grpc', () => {
  for (const compression of ['none', 'gzip'] as const) {
    it(`delivers spans in one unary call to TraceService/Export, compression ${compression}`, async () => {
      const spans = [
        makeSpan({ name: 'GET /a', attributes: { 'http.route': '/a', 'http.response.status_code': 200 } }),
        makeSpan({ name: 'SELECT users', kind: SpanKind.CLIENT, scope: { name: 'waymark-pg', version: '0.1.0' } }),
      ];
      expect(await exporter({ compression }).export(spans)).toEqual({ ok: true });

      expect(receiver.calls).toHaveLength(1);
      const [call] = receiver.calls;
      expect(call!.decodeError).toBeUndefined();
      expect(call!.path).toBe(TRACE_EXPORT_PATH);
      expect(call!.headers[':method']).toBe('POST');
      expect(call!.headers['content-type']).toBe('application/grpc');
      expect(call!.headers.te).toBe('trailers');
      expect(call!.headers['grpc-timeout']).toMatch(/^\d{1,8}m$/);
      expect(Number(String(call!.headers['grpc-timeout']).slice(0, -1))).toBeLessThanOrEqual(3000);
      // OTEL_EXPORTER_OTLP_HEADERS travel as metadata (names lower-cased, as HTTP/2 requires).
      expect(call!.headers.authorization).toBe('Bearer t0k3n');
      expect(call!.headers['x-tenant']).toBe('acme');
      expect(call!.headers['user-agent']).toBe('waymark');
      expect(call!.compressedFlag).toBe(compression === 'gzip');
      expect(call!.headers['grpc-encoding']).toBe(compression === 'gzip' ? 'gzip' : undefined);

      const received = receiver.spans();
      expect(received.map((s) => s.name)).toEqual(['GET /a', 'SELECT users']);
      expect(received[0]!.traceId).toBe(spans[0]!.traceId);
      expect(received[0]!.spanId).toBe(spans[0]!.spanId);
      expect(attributeMap(received[0]!.attributes)).toEqual({ 'http.route': '/a', 'http.response.status_code': 200 });
      expect(received[1]!.kind).toBe(3);
      expect(received[1]!.scope.name).toBe('waymark-pg');
      expect(attributeMap(received[0]!.resource)['service.name']).toBe('checkout');
      expect(logs).toEqual([]);
    });
  }

  it('reuses one HTTP/2 connection across exports', async () => {
    const e = exporter();
    for (let i = 0; i < 3; i++) expect((await e.export([makeSpan()])).ok).toBe(true);
    expect(receiver.calls).toHaveLength(3);
    expect(new Set(receiver.calls.map((c) => c.headers[':authority'])).size).toBe(1);
  });

  it('retries UNAVAILABLE and then succeeds', async () => {
    receiver.setResponder((_call, i) => (i < 2 ? { code: UNAVAILABLE, message: 'collector is starting' } : undefined));
    expect(await exporter({ timeoutMs: 5000 }).export([makeSpan({ name: 'retried' })])).toEqual({ ok: true });
    expect(receiver.calls).toHaveLength(3);
    expect(receiver.spans().map((s) => s.name)).toEqual(['retried', 'retried', 'retried']);
    expect(logs).toEqual([]);
  });

  it('retries a call whose stream was refused or whose connection went away, on a new connection', async () => {
    receiver.setResponder((_call, i) => (i === 0 ? { refuse: true } : i === 1 ? { drop: true } : undefined));
    expect(await exporter({ timeoutMs: 5000 }).export([makeSpan({ name: 'third-time' })])).toEqual({ ok: true });
    expect(receiver.calls).toHaveLength(3);
    expect(logs).toEqual([]);
  });

  it('does not retry INVALID_ARGUMENT, and says so in one line with the collector message', async () => {
    receiver.setResponder(() => ({ code: INVALID_ARGUMENT, message: 'span name too long: ünïcode' }));
    const result = await exporter().export([makeSpan()]);
    expect(result.ok).toBe(false);
    expect(receiver.calls).toHaveLength(1);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toContain('gRPC INVALID_ARGUMENT after 1 attempt: span name too long: ünïcode');
  });

  it('retries RESOURCE_EXHAUSTED only when the status carries RetryInfo, after the delay it names', async () => {
    receiver.setResponder(() => ({ code: RESOURCE_EXHAUSTED, message: 'quota' }));
    expect((await exporter().export([makeSpan()])).ok).toBe(false);
    expect(receiver.calls).toHaveLength(1);
    expect(logs[0]).toContain('gRPC RESOURCE_EXHAUSTED after 1 attempt: quota');

    receiver.calls.length = 0;
    receiver.setResponder((_call, i) => (i === 0 ? { code: RESOURCE_EXHAUSTED, retryDelayMs: 300 } : undefined));
    const started = Date.now();
    expect(await exporter().export([makeSpan()])).toEqual({ ok: true });
    expect(receiver.calls).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('treats a proxy answering HTTP 503 as UNAVAILABLE (retried) and HTTP 400 as final', async () => {
    receiver.setResponder((_call, i) => (i === 0 ? { httpStatus: 503 } : undefined));
    expect(await exporter().export([makeSpan()])).toEqual({ ok: true });
    expect(receiver.calls).toHaveLength(2);

    receiver.calls.length = 0;
    receiver.setResponder(() => ({ httpStatus: 400 }));
    expect((await exporter().export([makeSpan()])).ok).toBe(false);
    expect(receiver.calls).toHaveLength(1);
    expect(logs.at(-1)).toContain('HTTP 400 (gRPC INTERNAL) after 1 attempt');
  });

  it('reports a partial success once, without retrying (compressed response too)', async () => {
    for (const compression of ['none', 'gzip'] as const) {
      logs = [];
      receiver.calls.length = 0;
      receiver.setResponder(() => ({ partial: { rejectedSpans: 2, errorMessage: 'attributes too large' } }));
      expect(await exporter({ compression }).export([makeSpan(), makeSpan()])).toEqual({ ok: true });
      expect(receiver.calls).toHaveLength(1);
      expect(logs).toHaveLength(1);
      expect(logs[0]).toContain('OTLP collector rejected 2 spans: attributes too large');
    }
  });

  it('retries a refused connection until the deadline, then reports it in one line', async () => {
    const port = await closedPort();
    const started = Date.now();
    const result = await exporter({ url: `http://127.0.0.1:${port}`, timeoutMs: 600 }).export([makeSpan()]);
    expect(result.ok).toBe(false);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/OTLP export of 1 spans to http:\/\/127\.0\.0\.1:\d+ failed: .*ECONNREFUSED.* after \d+ attempts/);
  });

  it('cancels a call the collector never answers at the export timeout', async () => {
    const hang = await startOtlpGrpcReceiver({ responder: () => ({ hang: true }) });
    try {
      const started = Date.now();
      const result = await exporter({ url: hang.url, timeoutMs: 400 }).export([makeSpan()]);
      expect(result.ok).toBe(false);
      expect(Date.now() - started).toBeLessThan(1500);
      expect(logs[0]).toContain('timed out');
    } finally {
      await hang.close();
    }
  });

  it('leaves out headers that gRPC reserves, with one line each', async () => {
    expect((await exporter({ headers: { 'grpc-timeout': '1S', 'x-ok': 'yes' } }).export([makeSpan()])).ok).toBe(true);
    expect(receiver.calls[0]!.headers['x-ok']).toBe('yes');
    expect(receiver.calls[0]!.headers['grpc-timeout']).not.toBe('1S');
    expect(logs).toEqual([expect.stringContaining('"grpc-timeout" left out')]);
  });

  it('fails fast after shutdown', async () => {
    const e = exporter();
    await e.shutdown();
    expect((await e.export([makeSpan()])).ok).toBe(false);
    expect(receiver.calls).toHaveLength(0);
  });

  it('leaves its idle connection unreferenced, so it cannot keep the process alive', async () => {
    const script = `
      const { OtlpHttpExporter } = require('./build/src/export/otlp-http-exporter.js');
      const e = new OtlpHttpExporter({ url: process.env.RECEIVER, protocol: 'grpc', headers: {}, compression: 'none', timeoutMs: 3000, resource: { attributes: {} } });
      const span = ${JSON.stringify(makeSpan({ name: 'idle' }))};
      e.export([span]).then((r) => console.log(JSON.stringify({ ok: r.ok, sentAt: Date.now() })));`;
    const { code, stdout } = await runNode(['-e', script], { env: { RECEIVER: receiver.url } });
    const exitedAt = Date.now();
    expect(code).toBe(0);
    const { ok, sentAt } = JSON.parse(stdout) as { ok: boolean; sentAt: number };
    expect(ok).toBe(true);
    expect(receiver.spans().map((s) => s.name)).toEqual(['idle']);
    expect(exitedAt - sentAt).toBeLessThan(2000);
  });
});
