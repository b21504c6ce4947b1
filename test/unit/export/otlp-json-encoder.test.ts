import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { encodeTraceRequestJson } from '../../../src/export/otlp-json-encoder';
import { encodeTraceRequestProto } from '../../../src/export/otlp-proto-encoder';
import type { SpanRecord } from '../../../src/export/span-record';
import { RequestType, decodeJsonRequest, decodeProtoRequest, flattenSpans } from '../../helpers/otlp-receiver';
import { RESOURCE, hex, makeSpan, nanosString } from './fixtures';

function richSpans(): SpanRecord[] {
  return [
    makeSpan({
      kind: SpanKind.PRODUCER,
      traceState: 'a=1',
      attributes: {
        s: 'välue',
        b: true,
        i: -42,
        big: Number.MAX_SAFE_INTEGER,
        d: 2.5,
        inf: Number.NEGATIVE_INFINITY,
        arr: ['x', null as unknown as string],
        nums: [1, 1.5],
        skip: undefined,
      },
      droppedAttributesCount: 1,
      events: [{ name: 'ev', time: 1005.5, attributes: { k: 'v' }, droppedAttributesCount: 2 }],
      droppedEventsCount: 3,
      links: [{ traceId: hex(16), spanId: hex(8), traceFlags: 1, traceState: 'l=2', attributes: { w: 1 }, droppedAttributesCount: 0 }],
      droppedLinksCount: 6,
      status: { code: SpanStatusCode.ERROR, message: 'nope' },
    }),
    makeSpan({ parentSpanId: undefined, parentIsRemote: false, traceFlags: 0, scope: { name: 'other', schemaUrl: 'https://x/1.0' } }),
    makeSpan({ parentIsRemote: false, status: { code: SpanStatusCode.OK } }),
  ];
}

/** Replaces hex ids by base64, the form the generated proto3 `toObject` gives back. */
function idsToBase64(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(idsToBase64);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = k === 'traceId' || k === 'spanId' || k === 'parentSpanId' ? Buffer.from(v as string, 'hex').toString('base64') : idsToBase64(v);
  }
  return out;
}

function hexToBytesIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(hexToBytesIds);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = k === 'traceId' || k === 'spanId' || k === 'parentSpanId' ? Buffer.from(v as string, 'hex') : hexToBytesIds(v);
  }
  return out;
}

describe('encodeTraceRequestJson', () => {
  it('decodes with the official types to exactly what the protobuf encoding decodes to', () => {
    const spans = richSpans();
    const fromJson = decodeJsonRequest(encodeTraceRequestJson(RESOURCE, spans));
    const fromProto = decodeProtoRequest(encodeTraceRequestProto(RESOURCE, spans));
    expect(fromJson).toEqual(fromProto);
    expect(flattenSpans(fromJson)).toHaveLength(3);
  });

  it('uses only official field names and JSON types: an official round trip changes nothing', () => {
    const parsed: unknown = JSON.parse(encodeTraceRequestJson(RESOURCE, richSpans()));
    const message = RequestType.fromObject(hexToBytesIds(parsed) as Record<string, unknown>);
    expect(RequestType.verify(message)).toBeNull();
    const back = RequestType.toObject(message, { longs: String, enums: Number, bytes: String, json: true });
    // fromObject drops unknown or misspelt fields and coerces mistyped ones, so any of those shows here.
    expect(back).toEqual(idsToBase64(parsed));
  });

  it('writes ids as lowercase hex, times and intValue as decimal strings, kind and flags as integers', () => {
    const span = makeSpan({ startTime: 2000.000123, endTime: 2001, attributes: { n: 7, f: 0.5 } });
    const parsed = JSON.parse(encodeTraceRequestJson(RESOURCE, [span]));
    const json = parsed.resourceSpans[0].scopeSpans[0].spans[0];
    expect(json.traceId).toBe(span.traceId);
    expect(json.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(json.spanId).toBe(span.spanId);
    expect(json.parentSpanId).toBe(span.parentSpanId);
    expect(json.startTimeUnixNano).toBe(nanosString(2000.000123));
    expect(json.endTimeUnixNano).toBe(nanosString(2001));
    expect(json.kind).toBe(2);
    expect(json.flags).toBe(0x301);
    expect(json.attributes).toEqual([
      { key: 'n', value: { intValue: '7' } },
      { key: 'f', value: { doubleValue: 0.5 } },
    ]);
    expect(parsed.resourceSpans[0].scopeSpans[0].scope).toEqual({ name: 'waymark-http', version: '0.1.0' });
  });

  it('spells non-finite doubles as the proto3 JSON strings instead of null', () => {
    const text = encodeTraceRequestJson(RESOURCE, [makeSpan({ attributes: { nan: Number.NaN, inf: Number.POSITIVE_INFINITY } })]);
    expect(text).toContain('{"key":"nan","value":{"doubleValue":"NaN"}}');
    expect(text).toContain('{"key":"inf","value":{"doubleValue":"Infinity"}}');
    expect(text).not.toContain('null');
  });

  it('groups spans by scope and encodes the resource once', () => {
    const spans = [makeSpan({ name: 'a' }), makeSpan({ name: 'b', scope: { name: 'pg', version: '1' } }), makeSpan({ name: 'c' })];
    const parsed = JSON.parse(encodeTraceRequestJson(RESOURCE, spans));
    expect(parsed.resourceSpans).toHaveLength(1);
    expect(parsed.resourceSpans[0].scopeSpans.map((ss: { spans: { name: string }[] }) => ss.spans.map((s) => s.name))).toEqual([['a', 'c'], ['b']]);
    expect(parsed.resourceSpans[0].resource.attributes).toContainEqual({ key: 'process.pid', value: { intValue: '4242' } });
  });
});
