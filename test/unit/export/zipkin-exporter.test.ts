import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { epochMicros } from '../../../src/clock';
import { setLogSink } from '../../../src/diag';
import { ZipkinExporter, toZipkinSpan, type ZipkinSpan } from '../../../src/export/zipkin-exporter';
import { startChildProcessReceiver, startOtlpReceiver, type OtlpReceiver } from '../../helpers/otlp-receiver';
import { RESOURCE, makeSpan } from './fixtures';

/** Properties zipkin2-api.yaml defines for Span and Endpoint (nothing else may appear). */
const SPAN_PROPERTIES = ['traceId', 'name', 'parentId', 'id', 'kind', 'timestamp', 'duration', 'debug', 'shared', 'localEndpoint', 'remoteEndpoint', 'annotations', 'tags'];
const ENDPOINT_PROPERTIES = ['serviceName', 'ipv4', 'ipv6', 'port'];

/** Checks a span against the v2 definition's types and constraints. */
function expectValidV2(span: ZipkinSpan): void {
  for (const key of Object.keys(span)) expect(SPAN_PROPERTIES).toContain(key);
  expect(span.traceId).toMatch(/^[0-9a-f]{16}([0-9a-f]{16})?$/);
  expect(span.id).toMatch(/^[0-9a-f]{16}$/);
  if (span.parentId !== undefined) expect(span.parentId).toMatch(/^[0-9a-f]{16}$/);
  if (span.kind !== undefined) expect(['CLIENT', 'SERVER', 'PRODUCER', 'CONSUMER']).toContain(span.kind);
  expect(Number.isInteger(span.timestamp)).toBe(true);
  expect(Number.isInteger(span.duration)).toBe(true);
  expect(span.duration).toBeGreaterThanOrEqual(1);
  expect(span.name).toBe(span.name.toLowerCase());
  for (const endpoint of [span.localEndpoint, span.remoteEndpoint]) {
    if (endpoint === undefined) continue;
    for (const key of Object.keys(endpoint)) expect(ENDPOINT_PROPERTIES).toContain(key);
    if (endpoint.port !== undefined) expect(Number.isInteger(endpoint.port)).toBe(true);
  }
  for (const a of span.annotations ?? []) {
    expect(Object.keys(a).sort()).toEqual(['timestamp', 'value']);
    expect(Number.isInteger(a.timestamp)).toBe(true);
    expect(typeof a.value).toBe('string');
  }
  for (const value of Object.values(span.tags ?? {})) expect(typeof value).toBe('string');
}

describe('toZipkinSpan', () => {
  it('maps a SERVER span with a remote parent field by field', () => {
    const span = makeSpan({
      name: 'GET /Users/:id',
      kind: SpanKind.SERVER,
      startTime: 1000.0004,
      endTime: 1012.5,
      attributes: {
        'http.route': '/users/:id',
        'http.response.status_code': 500,
        ratio: 0.25,
        cached: false,
        tags: ['a', 'b'],
        codes: [1, 2],
        'network.peer.address': '10.1.2.3',
        'network.peer.port': 51234,
      },
      droppedAttributesCount: 2,
      droppedEventsCount: 1,
      droppedLinksCount: 3,
      events: [
        { name: 'exception', time: 1010, attributes: { 'exception.type': 'TypeError' }, droppedAttributesCount: 0 },
        { name: 'flushed', time: 1011, attributes: undefined, droppedAttributesCount: 0 },
      ],
      status: { code: SpanStatusCode.ERROR, message: 'Internal Server Error' },
    });
    const z = toZipkinSpan(span, 'Checkout', { 'service.version': '1.2.3' });
    expectValidV2(z);
    expect(z).toEqual({
      traceId: span.traceId,
      id: span.spanId,
      parentId: span.parentSpanId,
      name: 'get /users/:id',
      kind: 'SERVER',
      timestamp: epochMicros(1000.0004),
      duration: epochMicros(1012.5) - epochMicros(1000.0004),
      localEndpoint: { serviceName: 'checkout' },
      remoteEndpoint: { ipv4: '10.1.2.3', port: 51234 },
      annotations: [
        { timestamp: epochMicros(1010), value: '"exception":{"exception.type":"TypeError"}' },
        { timestamp: epochMicros(1011), value: 'flushed' },
      ],
      tags: {
        'service.version': '1.2.3',
        'http.route': '/users/:id',
        'http.response.status_code': '500',
        ratio: '0.25',
        cached: 'false',
        tags: '["a","b"]',
        codes: '[1,2]',
        'network.peer.address': '10.1.2.3',
        'network.peer.port': '51234',
        'otel.status_code': 'ERROR',
        error: 'Internal Server Error',
        'otel.dropped_attributes_count': '2',
        'otel.dropped_events_count': '1',
        'otel.dropped_links_count': '3',
        'otel.scope.name': 'waymark-http',
        'otel.scope.version': '0.1.0',
      },
    });
    // `shared` means "same span id as the client" in Zipkin, which our server spans never are.
    expect(z).not.toHaveProperty('shared');
  });

  it('leaves out kind, parent, remote endpoint, annotations and status tags when there are none', () => {
    const span = makeSpan({ kind: SpanKind.INTERNAL, parentSpanId: undefined, attributes: { 'server.address': 'db' } });
    const z = toZipkinSpan(span, 'svc');
    expectValidV2(z);
    expect(z).not.toHaveProperty('kind');
    expect(z).not.toHaveProperty('parentId');
    expect(z).not.toHaveProperty('remoteEndpoint');
    expect(z).not.toHaveProperty('annotations');
    expect(z.tags).toEqual({ 'server.address': 'db', 'otel.scope.name': 'waymark-http', 'otel.scope.version': '0.1.0' });
  });

  it('names the remote side of CLIENT and PRODUCER spans from peer.service, else server.address', () => {
    const client = toZipkinSpan(
      makeSpan({ kind: SpanKind.CLIENT, attributes: { 'peer.service': 'Users-API', 'server.address': 'users.internal', 'server.port': 8080, 'network.peer.address': '::1' } }),
      'svc',
    );
    expect(client.kind).toBe('CLIENT');
    expect(client.remoteEndpoint).toEqual({ serviceName: 'users-api', ipv6: '::1', port: 8080 });

    const producer = toZipkinSpan(makeSpan({ kind: SpanKind.PRODUCER, attributes: { 'server.address': 'rabbit', 'server.port': 5672 } }), 'svc');
    expect(producer.kind).toBe('PRODUCER');
    expect(producer.remoteEndpoint).toEqual({ serviceName: 'rabbit', port: 5672 });

    const byIp = toZipkinSpan(makeSpan({ kind: SpanKind.CLIENT, attributes: { 'server.address': '192.168.0.9', 'server.port': 0 } }), 'svc');
    expect(byIp.remoteEndpoint).toEqual({ ipv4: '192.168.0.9' });

    const consumer = toZipkinSpan(makeSpan({ kind: SpanKind.CONSUMER, attributes: {} }), 'svc');
    expect(consumer.kind).toBe('CONSUMER');
    expect(consumer).not.toHaveProperty('remoteEndpoint');
  });

  it('rounds a sub-microsecond duration up to one', () => {
    const z = toZipkinSpan(makeSpan({ startTime: 5000, endTime: 5000.0002 }), 'svc');
    expect(z.duration).toBe(1);
  });

  it('reports OK as otel.status_code and drops a false error attribute', () => {
    const ok = toZipkinSpan(makeSpan({ status: { code: SpanStatusCode.OK }, attributes: { error: 'oops' } }), 'svc');
    expect(ok.tags!['otel.status_code']).toBe('OK');
    expect(ok.tags).not.toHaveProperty('error');

    const unset = toZipkinSpan(makeSpan({ attributes: { error: false } }), 'svc');
    expect(unset.tags).not.toHaveProperty('error');
    expect(unset.tags).not.toHaveProperty('otel.status_code');

    const errorNoMessage = toZipkinSpan(makeSpan({ status: { code: SpanStatusCode.ERROR } }), 'svc');
    expect(errorNoMessage.tags!.error).toBe('');
  });
});

describe('ZipkinExporter', () => {
  let receiver: OtlpReceiver;
  const logs: string[] = [];
  const exporters: ZipkinExporter[] = [];
  const make = (serviceName = 'checkout'): ZipkinExporter => {
    const e = new ZipkinExporter({ url: receiver.url.replace('/v1/traces', '/api/v2/spans'), headers: { 'x-tenant': 't1' }, timeoutMs: 2000, serviceName, resource: RESOURCE });
    exporters.push(e);
    return e;
  };

  beforeAll(async () => {
    receiver = await startOtlpReceiver({ responder: () => ({ status: 202 }) });
    setLogSink((line) => logs.push(line));
  });
  afterEach(async () => {
    receiver.requests.length = 0;
    receiver.setResponder(() => ({ status: 202 }));
    logs.length = 0;
    for (const e of exporters.splice(0)) await e.shutdown();
  });
  afterAll(async () => {
    await receiver.close();
  });

  it('POSTs a JSON list of v2 spans with its headers', async () => {
    const spans = [makeSpan({ name: 'A' }), makeSpan({ name: 'B', kind: SpanKind.INTERNAL })];
    expect(await make().export(spans)).toEqual({ ok: true });
    const [req] = receiver.requests;
    expect(req!.path).toBe('/api/v2/spans');
    expect(req!.headers['content-type']).toBe('application/json');
    expect(req!.headers['x-tenant']).toBe('t1');
    const body = JSON.parse(req!.body.toString()) as ZipkinSpan[];
    expect(body).toHaveLength(2);
    body.forEach(expectValidV2);
    expect(body.map((s) => s.id)).toEqual(spans.map((s) => s.spanId));
    expect(body[0]!.localEndpoint).toEqual({ serviceName: 'checkout' });
    // Resource attributes other than service.name travel as tags.
    expect(body[0]!.tags).toMatchObject({ 'service.version': '1.2.3', 'process.pid': '4242' });
    expect(body[0]!.tags).not.toHaveProperty('service.name');
  });

  it('falls back to the resource service.name when no service name is given', async () => {
    await make('').export([makeSpan()]);
    const body = JSON.parse(receiver.requests[0]!.body.toString()) as ZipkinSpan[];
    expect(body[0]!.localEndpoint.serviceName).toBe('checkout');
  });

  it('reports a rejected batch as a failure and logs it, without throwing', async () => {
    receiver.setResponder(() => ({ status: 400 }));
    const result = await make().export([makeSpan()]);
    expect(result.ok).toBe(false);
    expect(result.error?.message).toContain('HTTP 400');
    expect(logs).toEqual([expect.stringMatching(/warn: Zipkin export of 1 spans .* failed: HTTP 400/)]);
  });

  it('delivers spans in one blocking request with exportSync', async () => {
    // exportSync blocks this process, so its receiver must live in another one.
    const child = await startChildProcessReceiver();
    try {
      const e = new ZipkinExporter({ url: child.url, headers: { 'x-tenant': 't2' }, timeoutMs: 5000, serviceName: 'svc', resource: RESOURCE });
      exporters.push(e);
      const span = makeSpan();
      expect(e.exportSync([[span]], 5000)).toBe(1);
      const seen = await child.nextRequest();
      expect(seen.headers['content-type']).toBe('application/json');
      expect(seen.headers['x-tenant']).toBe('t2');
      const body = JSON.parse(seen.body.toString()) as ZipkinSpan[];
      expect(body.map((s) => s.id)).toEqual([span.spanId]);
      body.forEach(expectValidV2);
    } finally {
      child.close();
    }
  });
});
