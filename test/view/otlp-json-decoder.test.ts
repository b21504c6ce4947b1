import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from 'otlp-transformer';
import * as generated from 'otlp-transformer/build/src/generated/root';
import { describe, expect, it } from 'vitest';
import { OtlpJsonError, decodeJsonTraceRequest } from '../../src/view/otlp-json-decoder';
import { decodeProtoTraceRequest } from '../../src/view/otlp-proto-decoder';
import { expectedSpans, requestObject } from './otlp-payloads';

const RequestType = generated.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

/** proto3 JSON from the generated code: bytes as base64, int64 as strings, enums as numbers. */
function proto3Json(): Record<string, unknown> {
  const message = RequestType.fromObject(requestObject());
  return RequestType.toObject(message, { longs: String, enums: Number, bytes: String }) as Record<string, unknown>;
}

/** OTLP/JSON differs from proto3 JSON in one way: trace and span ids are hex. */
function otlpJson(): Record<string, unknown> {
  const toHex = (v: unknown): unknown => (typeof v === 'string' ? Buffer.from(v, 'base64').toString('hex') : v);
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, ['traceId', 'spanId', 'parentSpanId'].includes(k) ? toHex(x) : walk(x)]));
  };
  return walk(proto3Json()) as Record<string, unknown>;
}

describe('decodeJsonTraceRequest', () => {
  it('decodes OTLP/JSON (hex ids) to the same spans as the protobuf form', () => {
    expect(decodeJsonTraceRequest(JSON.stringify(otlpJson()))).toEqual(expectedSpans());
  });

  it('also takes proto3 JSON ids in base64', () => {
    expect(decodeJsonTraceRequest(JSON.stringify(proto3Json()))).toEqual(expectedSpans());
  });

  it('takes snake_case names, numeric int64s and enum names', () => {
    const body = {
      resource_spans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { string_value: 'auth' } }] },
          scope_spans: [
            {
              spans: [
                {
                  trace_id: '5B8EFFF798038103D269B633813FC60C',
                  span_id: 'eee19b7ec3c1b174',
                  name: 'POST /validate',
                  kind: 'SPAN_KIND_SERVER',
                  start_time_unix_nano: 1700000000000000,
                  end_time_unix_nano: '1700000000008000',
                  attributes: [{ key: 'n', value: { int_value: 7 } }, { key: 'inf', value: { double_value: 'Infinity' } }],
                  status: { code: 'STATUS_CODE_ERROR' },
                },
              ],
            },
          ],
        },
      ],
    };
    const [span] = decodeJsonTraceRequest(JSON.stringify(body));
    expect(span).toMatchObject({
      traceId: '5b8efff798038103d269b633813fc60c',
      service: 'auth',
      kind: 2,
      startTimeUnixNano: '1700000000000000',
      endTimeUnixNano: '1700000000008000',
      attributes: { n: 7, inf: Infinity },
      status: { code: 2, message: '' },
    });
  });

  it.each([
    ['not JSON', 'resourceSpans: []'],
    ['an array', '[]'],
    ['resourceSpans not an array', '{"resourceSpans":{}}'],
    ['a trace id of the wrong size', '{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"abcd","spanId":"eee19b7ec3c1b174"}]}]}]}'],
    ['a name that is not a string', '{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":5}]}]}]}'],
    ['a negative time', '{"resourceSpans":[{"scopeSpans":[{"spans":[{"startTimeUnixNano":"-5"}]}]}]}'],
    ['an unknown enum name', '{"resourceSpans":[{"scopeSpans":[{"spans":[{"kind":"SPAN_KIND_SIDEWAYS"}]}]}]}'],
  ])('rejects %s with an OtlpJsonError', (_what, text) => {
    expect(() => decodeJsonTraceRequest(text)).toThrow(OtlpJsonError);
  });
});

describe('both decoders on what the official OpenTelemetry SDK serializers produce', () => {
  it('agree with each other and with the spans that were recorded', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'gateway' }),
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    const tracer = provider.getTracer('sdk-fixture', '9.9.9');
    const parent = tracer.startSpan('GET /api/users/:id', { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'GET', retries: 2 } });
    const child = tracer.startSpan('POST', { kind: SpanKind.CLIENT }, trace.setSpan(context.active(), parent));
    child.setStatus({ code: SpanStatusCode.ERROR, message: 'HTTP 401' });
    child.addEvent('retry', { attempt: 1 });
    child.end();
    parent.end();
    const recorded = exporter.getFinishedSpans();

    const fromJson = decodeJsonTraceRequest(Buffer.from(JsonTraceSerializer.serializeRequest(recorded)!).toString('utf8'));
    const fromProto = decodeProtoTraceRequest(ProtobufTraceSerializer.serializeRequest(recorded)!);
    expect(fromJson).toEqual(fromProto);
    const byName = Object.fromEntries(fromProto.map((s) => [s.name, s]));
    expect(byName['POST']).toMatchObject({
      traceId: parent.spanContext().traceId,
      spanId: child.spanContext().spanId,
      parentSpanId: parent.spanContext().spanId,
      kind: 3,
      service: 'gateway',
      status: { code: 2, message: 'HTTP 401' },
      scope: { name: 'sdk-fixture', version: '9.9.9' },
    });
    expect(byName['POST']!.events).toMatchObject([{ name: 'retry', attributes: { attempt: 1 } }]);
    expect(byName['GET /api/users/:id']).toMatchObject({ parentSpanId: '', kind: 2, attributes: { 'http.request.method': 'GET', retries: 2 } });
    await provider.shutdown();
  });
});
