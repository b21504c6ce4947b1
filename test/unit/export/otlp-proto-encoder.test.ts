import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { encodeTraceRequestProto } from '../../../src/export/otlp-proto-encoder';
import type { Resource } from '../../../src/export/span-record';
import { RequestType, attributeMap, decodeProtoRequest, flattenSpans } from '../../helpers/otlp-receiver';
import { RESOURCE, hex, makeSpan, nanosString } from './fixtures';

const decodeSpans = (resource: Resource, spans: Parameters<typeof encodeTraceRequestProto>[1]) =>
  flattenSpans(decodeProtoRequest(encodeTraceRequestProto(resource, spans)));

describe('encodeTraceRequestProto', () => {
  it('encodes every span field so the official decoder reads it back', () => {
    const linkTrace = hex(16);
    const linkSpan = hex(8);
    const span = makeSpan({
      name: 'POST /orders',
      kind: SpanKind.CLIENT,
      traceState: 'vendor=abc,other=x',
      startTime: 1500.123456,
      endTime: 1530.000001,
      droppedAttributesCount: 3,
      events: [
        { name: 'retry', time: 1510.5, attributes: { attempt: 2, reason: 'timeout' }, droppedAttributesCount: 1 },
        { name: 'bare', time: 1520, attributes: undefined, droppedAttributesCount: 0 },
      ],
      droppedEventsCount: 4,
      links: [
        { traceId: linkTrace, spanId: linkSpan, traceFlags: 1, traceState: 'k=v', attributes: { why: 'batch' }, droppedAttributesCount: 2 },
        { traceId: hex(16), spanId: hex(8), traceFlags: 0, traceState: undefined, attributes: undefined, droppedAttributesCount: 0 },
      ],
      droppedLinksCount: 5,
      status: { code: SpanStatusCode.ERROR, message: 'boom' },
    });
    const [got] = decodeSpans(RESOURCE, [span]);
    expect(got).toBeDefined();
    expect(got!.traceId).toBe(span.traceId);
    expect(got!.spanId).toBe(span.spanId);
    expect(got!.parentSpanId).toBe(span.parentSpanId);
    expect(got!.traceState).toBe('vendor=abc,other=x');
    expect(got!.name).toBe('POST /orders');
    expect(got!.kind).toBe(3); // SPAN_KIND_CLIENT
    expect(got!.startTimeUnixNano).toBe(nanosString(1500.123456));
    expect(got!.endTimeUnixNano).toBe(nanosString(1530.000001));
    expect(got!.droppedAttributesCount).toBe(3);
    expect(got!.droppedEventsCount).toBe(4);
    expect(got!.droppedLinksCount).toBe(5);
    expect(got!.status).toEqual({ code: 2, message: 'boom' });
    expect(got!.flags).toBe(0x301);

    expect(got!.events).toHaveLength(2);
    expect(got!.events[0]).toEqual({
      timeUnixNano: nanosString(1510.5),
      name: 'retry',
      attributes: [
        { key: 'attempt', value: { intValue: '2' } },
        { key: 'reason', value: { stringValue: 'timeout' } },
      ],
      droppedAttributesCount: 1,
    });
    expect(got!.events[1]).toEqual({ timeUnixNano: nanosString(1520), name: 'bare', attributes: [] });

    expect(got!.links).toEqual([
      { traceId: linkTrace, spanId: linkSpan, traceState: 'k=v', attributes: [{ key: 'why', value: { stringValue: 'batch' } }], droppedAttributesCount: 2, flags: 1 },
      { traceId: span.links[1]!.traceId, spanId: span.links[1]!.spanId, attributes: [] },
    ]);
    expect(got!.scope).toEqual({ name: 'waymark-http', version: '0.1.0', attributes: [] });
    expect(attributeMap(got!.resource)).toEqual(RESOURCE.attributes);
  });

  it('encodes attribute values of every type with the right AnyValue variant', () => {
    const long = 'x'.repeat(300); // two-byte length prefix
    const veryLong = 'y'.repeat(20_000); // three-byte length prefix
    const span = makeSpan({
      attributes: {
        str: 'plain',
        empty: '',
        unicode: 'naïve 日本語 😀',
        long,
        veryLong,
        yes: true,
        no: false,
        zero: 0,
        int: 42,
        bigInt: Number.MAX_SAFE_INTEGER,
        above31: 2 ** 31 + 5,
        negative: -1,
        veryNegative: Number.MIN_SAFE_INTEGER,
        negZero: -0,
        double: 1.5,
        unsafeInt: 2 ** 60,
        negDouble: -0.25,
        inf: Number.POSITIVE_INFINITY,
        strings: ['a', 'b', null as unknown as string],
        ints: [1, 2, 300],
        doubles: [0.5, 1.25],
        bools: [true, false],
        emptyArray: [],
        skipped: undefined,
      },
    });
    const [got] = decodeSpans(RESOURCE, [span]);
    const byKey = Object.fromEntries(got!.attributes.map((kv) => [kv.key, kv.value]));
    expect(Object.keys(byKey)).not.toContain('skipped');
    expect(byKey).toEqual({
      str: { stringValue: 'plain' },
      empty: { stringValue: '' },
      unicode: { stringValue: 'naïve 日本語 😀' },
      long: { stringValue: long },
      veryLong: { stringValue: veryLong },
      yes: { boolValue: true },
      no: { boolValue: false },
      zero: { intValue: '0' },
      int: { intValue: '42' },
      bigInt: { intValue: String(Number.MAX_SAFE_INTEGER) },
      above31: { intValue: String(2 ** 31 + 5) },
      negative: { intValue: '-1' },
      veryNegative: { intValue: String(Number.MIN_SAFE_INTEGER) },
      negZero: { intValue: '0' },
      double: { doubleValue: 1.5 },
      unsafeInt: { doubleValue: 2 ** 60 },
      negDouble: { doubleValue: -0.25 },
      inf: { doubleValue: Number.POSITIVE_INFINITY },
      strings: { arrayValue: { values: [{ stringValue: 'a' }, { stringValue: 'b' }, {}] } },
      ints: { arrayValue: { values: [{ intValue: '1' }, { intValue: '2' }, { intValue: '300' }] } },
      doubles: { arrayValue: { values: [{ doubleValue: 0.5 }, { doubleValue: 1.25 }] } },
      bools: { arrayValue: { values: [{ boolValue: true }, { boolValue: false }] } },
      emptyArray: { arrayValue: { values: [] } },
    });
  });

  it('writes exactly the bytes of the official encoder for the same content', () => {
    const spans = Array.from({ length: 50 }, (_, i) =>
      makeSpan({
        name: i % 3 === 0 ? 'çà et là' : `op-${i}`,
        kind: (i % 5) as SpanKind,
        parentSpanId: i % 4 === 0 ? undefined : hex(8),
        parentIsRemote: i % 2 === 0,
        attributes: { i, half: i / 2, tag: 'v'.repeat(i * 3), list: [i, -i] },
        events: i % 7 === 0 ? [{ name: 'e', time: 1001, attributes: { n: -i }, droppedAttributesCount: 0 }] : [],
        status: i % 6 === 0 ? { code: SpanStatusCode.OK } : { code: SpanStatusCode.UNSET },
      }),
    );
    const mine = encodeTraceRequestProto(RESOURCE, spans);
    const reencoded = RequestType.encode(RequestType.decode(mine)).finish();
    expect(Buffer.from(reencoded).equals(Buffer.from(mine))).toBe(true);
    expect(flattenSpans(decodeProtoRequest(mine))).toHaveLength(50);
  });

  it('maps every API SpanKind to the proto value one higher', () => {
    const kinds = [SpanKind.INTERNAL, SpanKind.SERVER, SpanKind.CLIENT, SpanKind.PRODUCER, SpanKind.CONSUMER];
    const got = decodeSpans(RESOURCE, kinds.map((kind) => makeSpan({ kind })));
    expect(got.map((s) => s.kind)).toEqual([1, 2, 3, 4, 5]);
  });

  it('sets the parent-remoteness flag bits only when the span has a parent and remoteness is known', () => {
    const got = decodeSpans(RESOURCE, [
      makeSpan({ parentSpanId: undefined, parentIsRemote: undefined, traceFlags: 1 }),
      makeSpan({ parentSpanId: undefined, parentIsRemote: undefined, traceFlags: 0 }),
      makeSpan({ parentSpanId: undefined, parentIsRemote: false, traceFlags: 1 }), // a root has no parent to be remote
      makeSpan({ parentIsRemote: false, traceFlags: 1 }),
      makeSpan({ parentIsRemote: true, traceFlags: 1 }),
      makeSpan({ parentIsRemote: true, traceFlags: 0 }),
      makeSpan({ parentIsRemote: undefined, traceFlags: 1 }),
      makeSpan({ parentIsRemote: false, traceFlags: 0x1ff }), // only the low 8 bits are trace flags
    ]);
    expect(got.map((s) => s.flags)).toEqual([1, undefined, 1, 0x101, 0x301, 0x300, 1, 0x1ff]);
    expect(got[0]!.parentSpanId).toBeUndefined();
  });

  it('groups spans into one ScopeSpans per scope name, version and schema URL, in first-seen order', () => {
    const a1 = { name: 'a', version: '1' };
    const a1Again = { name: 'a', version: '1' }; // equal by value, another object
    const a2 = { name: 'a', version: '2' };
    const b = { name: 'b' };
    const bSchema = { name: 'b', schemaUrl: 'https://opentelemetry.io/schemas/1.26.0' };
    const spans = [
      makeSpan({ name: 's0', scope: a1 }),
      makeSpan({ name: 's1', scope: b }),
      makeSpan({ name: 's2', scope: a1Again }),
      makeSpan({ name: 's3', scope: a2 }),
      makeSpan({ name: 's4', scope: bSchema }),
      makeSpan({ name: 's5', scope: a1 }),
    ];
    const decoded = decodeProtoRequest(encodeTraceRequestProto(RESOURCE, spans));
    expect(decoded.resourceSpans).toHaveLength(1);
    const groups = decoded.resourceSpans[0]!.scopeSpans.map((ss) => ({
      scope: ss.scope,
      schemaUrl: ss.schemaUrl,
      names: ss.spans.map((s) => s.name),
    }));
    expect(groups).toEqual([
      { scope: { name: 'a', version: '1', attributes: [] }, schemaUrl: undefined, names: ['s0', 's2', 's5'] },
      { scope: { name: 'b', attributes: [] }, schemaUrl: undefined, names: ['s1'] },
      { scope: { name: 'a', version: '2', attributes: [] }, schemaUrl: undefined, names: ['s3'] },
      { scope: { name: 'b', attributes: [] }, schemaUrl: 'https://opentelemetry.io/schemas/1.26.0', names: ['s4'] },
    ]);
  });

  it('encodes each resource it is given, not only the first one it saw', () => {
    const other: Resource = { attributes: { 'service.name': 'billing' } };
    const first = decodeSpans(RESOURCE, [makeSpan()]);
    const second = decodeSpans(other, [makeSpan()]);
    const again = decodeSpans(RESOURCE, [makeSpan()]);
    expect(attributeMap(first[0]!.resource)).toEqual(RESOURCE.attributes);
    expect(attributeMap(second[0]!.resource)).toEqual({ 'service.name': 'billing' });
    expect(attributeMap(again[0]!.resource)).toEqual(RESOURCE.attributes);
  });

  it('encodes an empty batch as a request with the resource and no spans', () => {
    const decoded = decodeProtoRequest(encodeTraceRequestProto(RESOURCE, []));
    expect(decoded.resourceSpans).toHaveLength(1);
    expect(decoded.resourceSpans[0]!.scopeSpans).toEqual([]);
    expect(attributeMap(decoded.resourceSpans[0]!.resource!.attributes)).toEqual(RESOURCE.attributes);
  });

  it('does not throw on a span whose time is not a number, and writes the time as zero', () => {
    const [got] = decodeSpans(RESOURCE, [makeSpan({ endTime: Number.NaN })]);
    expect(got!.endTimeUnixNano).toBe('0');
  });

  it('encodes non-ASCII and lone-surrogate strings in names, keys and values as UTF-8', () => {
    const [got] = decodeSpans(RESOURCE, [
      makeSpan({ name: 'Grüße 👋', attributes: { 'clé': 'välue', broken: 'a\ud800b' } }),
    ]);
    expect(got!.name).toBe('Grüße 👋');
    expect(attributeMap(got!.attributes)).toEqual({ 'clé': 'välue', broken: 'a\ufffdb' });
  });

  it('returns a buffer that later encodes do not overwrite', () => {
    const first = encodeTraceRequestProto(RESOURCE, [makeSpan({ name: 'first' })]);
    const copy = Buffer.from(first);
    encodeTraceRequestProto(RESOURCE, [makeSpan({ name: 'second' })]);
    expect(Buffer.from(first).equals(copy)).toBe(true);
    expect(flattenSpans(decodeProtoRequest(first))[0]!.name).toBe('first');
  });
});
