import { SpanKind } from '@opentelemetry/api';
import { createServer } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setLogSink } from '../../../src/diag';
import {
  OtlpHttpExporter,
  parsePartialSuccessJson,
  parsePartialSuccessProto,
  type OtlpHttpExporterOptions,
} from '../../../src/export/otlp-http-exporter';
import {
  attributeMap,
  decodeJsonRequest,
  decodeProtoRequest,
  encodeProtoResponse,
  flattenSpans,
  startChildProcessReceiver,
  startOtlpReceiver,
  type OtlpReceiver,
} from '../../helpers/otlp-receiver';
import { RESOURCE, makeSpan, nanosString } from './fixtures';

let receiver: OtlpReceiver;
let logs: string[] = [];
const exporters: OtlpHttpExporter[] = [];

function exporter(overrides: Partial<OtlpHttpExporterOptions> = {}): OtlpHttpExporter {
  const e = new OtlpHttpExporter({
    url: receiver.url,
    protocol: 'http/protobuf',
    headers: { authorization: 'Bearer t0k3n' },
    compression: 'none',
    timeoutMs: 3000,
    resource: RESOURCE,
    ...overrides,
  });
  exporters.push(e);
  return e;
}

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  setLogSink((line) => logs.push(line));
});
beforeEach(() => {
  logs = [];
});
afterEach(async () => {
  receiver.setResponder(undefined);
  receiver.requests.length = 0;
  for (const e of exporters.splice(0)) await e.shutdown();
});
afterAll(async () => {
  await receiver.close();
});

const variants = [
  { protocol: 'http/protobuf', compression: 'none', contentType: 'application/x-protobuf' },
  { protocol: 'http/protobuf', compression: 'gzip', contentType: 'application/x-protobuf' },
  { protocol: 'http/json', compression: 'none', contentType: 'application/json' },
  { protocol: 'http/json', compression: 'gzip', contentType: 'application/json' },
] as const;

describe('OtlpHttpExporter', () => {
  for (const v of variants) {
    it(`delivers spans over ${v.protocol} with compression ${v.compression}`, async () => {
      const spans = [
        makeSpan({ name: 'GET /a', attributes: { 'http.route': '/a', 'http.response.status_code': 200, ratio: 0.5, cached: true } }),
        makeSpan({ name: 'SELECT users', kind: SpanKind.CLIENT, scope: { name: 'waymark-pg', version: '0.1.0' } }),
      ];
      const result = await exporter({ protocol: v.protocol, compression: v.compression }).export(spans);
      expect(result).toEqual({ ok: true });

      expect(receiver.requests).toHaveLength(1);
      const [req] = receiver.requests;
      expect(req!.decodeError).toBeUndefined();
      expect(req!.headers['content-type']).toBe(v.contentType);
      expect(req!.headers['content-encoding']).toBe(v.compression === 'gzip' ? 'gzip' : undefined);
      expect(req!.headers.authorization).toBe('Bearer t0k3n');
      expect(req!.headers['user-agent']).toMatch(/^waymark/);

      const got = receiver.spans();
      expect(got.map((s) => s.name)).toEqual(['GET /a', 'SELECT users']);
      expect(got[0]!.traceId).toBe(spans[0]!.traceId);
      expect(got[0]!.spanId).toBe(spans[0]!.spanId);
      expect(got[0]!.parentSpanId).toBe(spans[0]!.parentSpanId);
      expect(got[0]!.startTimeUnixNano).toBe(nanosString(spans[0]!.startTime));
      expect(got[0]!.kind).toBe(2);
      expect(attributeMap(got[0]!.attributes)).toEqual({ 'http.route': '/a', 'http.response.status_code': 200, ratio: 0.5, cached: true });
      expect(got[0]!.scope.name).toBe('waymark-http');
      expect(got[1]!.scope.name).toBe('waymark-pg');
      expect(attributeMap(got[1]!.resource)).toEqual(RESOURCE.attributes);
    });
  }

  it('sends a large protobuf batch as one request encoded in slices, and the app keeps running meanwhile', async () => {
    const spans = Array.from({ length: 200 }, (_, i) =>
      makeSpan({ name: `op ${i}`, attributes: { i, route: '/a' }, ...(i % 50 < 25 ? {} : { scope: { name: 'waymark-pg', version: '0.1.0' } }) }),
    );
    // Something the application scheduled before the export: with the batch encoded in one
    // go it would run only after the last span was encoded; with slices it runs between them.
    let immediateRan = false;
    setImmediate(() => {
      immediateRan = true;
    });
    let ranBeforeLastSlice: boolean | undefined;
    const last = spans[199]!;
    Object.defineProperty(last, 'name', {
      get: () => {
        ranBeforeLastSlice ??= immediateRan;
        return 'op 199';
      },
    });
    const result = await exporter().export(spans);
    expect(result).toEqual({ ok: true });
    expect(ranBeforeLastSlice).toBe(true);
    expect(receiver.requests).toHaveLength(1);
    const decoded = receiver.requests[0]!.decoded!;
    // Slices of 64 spans: four ResourceSpans, each with the resource (spans grouped by scope within each).
    expect(decoded.resourceSpans).toHaveLength(4);
    for (const rs of decoded.resourceSpans) expect(attributeMap(rs.resource!.attributes)).toEqual(RESOURCE.attributes);
    const got = new Map(flattenSpans(decoded).map((s) => [s.name, { attributes: attributeMap(s.attributes), scope: s.scope.name }]));
    expect(got.size).toBe(200);
    for (const span of spans) expect(got.get(span.name)).toEqual({ attributes: span.attributes, scope: span.scope.name });
  });

  it('sends nothing for an empty batch', async () => {
    expect(await exporter().export([])).toEqual({ ok: true });
    expect(receiver.requests).toHaveLength(0);
  });

  it('retries a 503 after its Retry-After and then succeeds', async () => {
    receiver.setResponder((_req, i) => (i === 0 ? { status: 503, headers: { 'Retry-After': '1' } } : undefined));
    const started = Date.now();
    const result = await exporter().export([makeSpan()]);
    expect(result.ok).toBe(true);
    expect(receiver.requests).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(logs).toEqual([]);
  });

  it('does not retry a 400, and logs the failure with the collector message', async () => {
    receiver.setResponder(() => ({ status: 400, body: 'invalid span' }));
    const result = await exporter().export([makeSpan()]);
    expect(result.ok).toBe(false);
    expect(result.error?.message).toContain('HTTP 400');
    expect(receiver.requests).toHaveLength(1);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/warn: OTLP export of 1 spans to .* failed: HTTP 400 after 1 attempt: invalid span/);
  });

  it('logs repeated failures once per interval', async () => {
    receiver.setResponder(() => ({ status: 400 }));
    const e = exporter();
    for (let i = 0; i < 5; i++) await e.export([makeSpan()]);
    expect(receiver.requests).toHaveLength(5);
    expect(logs).toHaveLength(1);
  });

  it('resolves within the timeout when nothing listens, retrying meanwhile, and never throws', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));

    const started = Date.now();
    const result = await exporter({ url: `http://127.0.0.1:${port}/v1/traces`, timeoutMs: 1000 }).export([makeSpan()]);
    expect(Date.now() - started).toBeLessThanOrEqual(1100);
    expect(result.ok).toBe(false);
    expect(result.error?.message).toMatch(/ECONNREFUSED/);
    const attempts = Number(/after (\d+) attempt/.exec(result.error!.message)?.[1]);
    expect(attempts).toBeGreaterThan(1);
    expect(logs).toHaveLength(1);
  });

  it('logs a protobuf partial_success with its rejected count and message', async () => {
    receiver.setResponder(() => ({
      status: 200,
      headers: { 'Content-Type': 'application/x-protobuf' },
      body: encodeProtoResponse({ rejectedSpans: 2, errorMessage: 'span name too long' }),
    }));
    const result = await exporter().export([makeSpan(), makeSpan()]);
    expect(result.ok).toBe(true);
    expect(logs).toEqual([expect.stringMatching(/warn: .*rejected 2 spans: span name too long/)]);
  });

  it('logs a JSON partialSuccess', async () => {
    receiver.setResponder(() => ({
      status: 200,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ partialSuccess: { rejectedSpans: '3', errorMessage: 'quota' } }),
    }));
    const result = await exporter({ protocol: 'http/json' }).export([makeSpan()]);
    expect(result.ok).toBe(true);
    expect(logs).toEqual([expect.stringMatching(/rejected 3 spans: quota/)]);
  });

  it('stays quiet for a success response with an empty or zero partial_success', async () => {
    receiver.setResponder(() => ({ status: 200, body: encodeProtoResponse({ rejectedSpans: 0, errorMessage: '' }) }));
    expect((await exporter().export([makeSpan()])).ok).toBe(true);
    receiver.setResponder(() => ({ status: 200, body: '{}' }));
    expect((await exporter({ protocol: 'http/json' }).export([makeSpan()])).ok).toBe(true);
    expect(logs).toEqual([]);
  });

  it('refuses to export after shutdown without sending', async () => {
    const e = exporter();
    await e.shutdown();
    const result = await e.export([makeSpan()]);
    expect(result.ok).toBe(false);
    expect(receiver.requests).toHaveLength(0);
  });
});

describe('OtlpHttpExporter.exportSync', () => {
  for (const v of variants) {
    it(`delivers spans in one blocking request over ${v.protocol} with compression ${v.compression}`, async () => {
      // exportSync blocks this process, so its receiver must live in another one.
      const child = await startChildProcessReceiver();
      try {
        const spans = [makeSpan({ name: 'at-exit' })];
        const e = exporter({ url: child.url, protocol: v.protocol, compression: v.compression });
        expect(e.exportSync([spans], 5000)).toBe(1);
        const seen = await child.nextRequest();
        expect(seen.headers['content-type']).toBe(v.contentType);
        expect(seen.headers.authorization).toBe('Bearer t0k3n');
        let body = seen.body;
        if (v.compression === 'gzip') {
          expect(seen.headers['content-encoding']).toBe('gzip');
          body = gunzipSync(body);
        }
        const decoded = v.protocol === 'http/json' ? decodeJsonRequest(body.toString()) : decodeProtoRequest(body);
        const got = flattenSpans(decoded);
        expect(got.map((s) => [s.name, s.spanId])).toEqual([['at-exit', spans[0]!.spanId]]);
      } finally {
        child.close();
      }
    });
  }

  it('returns 0, without throwing, when nothing listens', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(exporter({ url: `http://127.0.0.1:${port}/v1/traces`, timeoutMs: 2000 }).exportSync([[makeSpan()]], 2000)).toBe(0);
  });
});

describe('partial success parsing', () => {
  it('reads the official encoding of ExportTraceServiceResponse', () => {
    expect(parsePartialSuccessProto(encodeProtoResponse({ rejectedSpans: 7, errorMessage: 'ünïcode' }))).toEqual({
      rejectedSpans: 7,
      errorMessage: 'ünïcode',
    });
    expect(parsePartialSuccessProto(encodeProtoResponse({ rejectedSpans: 300_000, errorMessage: '' }))).toEqual({
      rejectedSpans: 300_000,
      errorMessage: '',
    });
    expect(parsePartialSuccessProto(new Uint8Array(0))).toBeUndefined();
  });

  it('skips fields it does not know, of every wire type', () => {
    const body = Buffer.from([
      0x10, 0x05, // field 2 varint (unknown, outer)
      0x0a, 0x10, // field 1 (partial_success), 16 bytes
      0x19, 1, 2, 3, 4, 5, 6, 7, 8, // field 3 fixed64 (unknown)
      0x25, 1, 2, 3, 4, // field 4 fixed32 (unknown)
      0x08, 0x04, // rejected_spans = 4
    ]);
    expect(parsePartialSuccessProto(body)).toEqual({ rejectedSpans: 4, errorMessage: '' });
  });

  it('throws on truncated input rather than reading past the end', () => {
    expect(() => parsePartialSuccessProto(Buffer.from([0x0a, 0x05, 0x08]))).toThrow(/truncated/);
  });

  it('reads rejectedSpans as a number or an int64 string in JSON', () => {
    expect(parsePartialSuccessJson(Buffer.from('{"partialSuccess":{"rejectedSpans":"5"}}'))).toEqual({ rejectedSpans: 5, errorMessage: '' });
    expect(parsePartialSuccessJson(Buffer.from('{"partialSuccess":{"rejectedSpans":1,"errorMessage":"x"}}'))).toEqual({
      rejectedSpans: 1,
      errorMessage: 'x',
    });
    expect(parsePartialSuccessJson(Buffer.from('{}'))).toBeUndefined();
  });
});
