import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace, type Attributes } from '@opentelemetry/api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { epochNanos } from '../../../src/clock';
import { readConfig } from '../../../src/config';
import { encodeTraceRequestProto, epochNanosHalves } from '../../../src/export/otlp-proto-encoder';
import type { SpanRecord } from '../../../src/export/span-record';
import { createSampler } from '../../../src/sdk/sampler';
import { Tracer } from '../../../src/sdk/tracer';
import { RequestType, attributeMap, decodeProtoRequest, flattenSpans } from '../../helpers/otlp-receiver';
import { RESOURCE, hex, makeSpan, nanosString } from './fixtures';

/*
 * The encoder's shortcuts (number-only timestamps, ids from words, cached attribute keys)
 * must write exactly the bytes of the straightforward route: BigInt time, hex ids, and
 * keys encoded every time, which is what the official encoder re-encodes to.
 */

/** What the encoder must store for clock time `t`: epochNanos(t) as a uint64, or 0 if there is none. */
function expectedHalves(t: number): [number, number] {
  const ns = Number.isFinite(Math.round(t * 1e6)) ? BigInt.asUintN(64, epochNanos(t)) : 0n;
  return [Number(ns & 0xffffffffn), Number(ns >> 32n)];
}

/** Re-encoding with the official encoder gives back the same bytes (minimal, canonical). */
function expectCanonical(bytes: Uint8Array): void {
  const reencoded = RequestType.encode(RequestType.decode(bytes)).finish();
  expect(Buffer.from(reencoded).equals(Buffer.from(bytes))).toBe(true);
}

/** A plain-object copy of a record: no words, so the encoder takes the hex route. */
function plainCopy(s: SpanRecord): SpanRecord {
  return {
    name: s.name,
    kind: s.kind,
    traceId: s.traceId,
    spanId: s.spanId,
    parentSpanId: s.parentSpanId,
    parentIsRemote: s.parentIsRemote,
    traceFlags: s.traceFlags,
    traceState: s.traceState,
    startTime: s.startTime,
    endTime: s.endTime,
    attributes: s.attributes,
    droppedAttributesCount: s.droppedAttributesCount,
    events: s.events,
    droppedEventsCount: s.droppedEventsCount,
    links: s.links,
    droppedLinksCount: s.droppedLinksCount,
    status: s.status,
    scope: s.scope,
  };
}

function sdk() {
  const ended: SpanRecord[] = [];
  const config = readConfig({});
  const tracer = new Tracer(
    { name: 'waymark-http', version: '0.1.0' },
    { sample: createSampler('parentbased_always_on', 1), limits: config.limits, sink: { onEnd: (s) => ended.push(s) } },
  );
  return { tracer, ended };
}

describe('encodeTraceRequestProto timestamps without BigInt', () => {
  it('splits epoch nanoseconds exactly like BigInt on a million random clock times', () => {
    const originMs = performance.timeOrigin;
    const generators: Array<() => number> = [
      () => Math.random() * 1e4, // first seconds of the process, many fraction digits
      () => Math.random() * 1e10, // up to ~115 days of uptime
      () => 9e9 + Math.random() * 1e13, // offsets past 2^53 ns: years of uptime, far-future times
      () => Math.floor(Math.random() * 1e9) + Math.floor(Math.random() * 1e6) / 1e6, // whole ns
      () => -Math.random() * originMs, // epoch times before the process start (fromEpochMillis)
      () => -originMs - Math.random() * 1e12, // before 1970: wraps like a uint64
      () => (Math.random() - 0.5) * 2 * 9.007e9, // near |offset| = 2^53 ns
      () => (Math.random() - 0.5) * 2 * 1.85e13, // near |offset| = 2^64 ns, past it: the BigInt fallback
      () => (Math.random() - 0.5) * 1e300, // absurd but finite
    ];
    let mismatches = 0;
    let first: unknown;
    for (let i = 0; i < 1_000_000; i++) {
      const t = generators[i % generators.length]!();
      const [low, high] = epochNanosHalves(t);
      const [wantLow, wantHigh] = expectedHalves(t);
      if (low !== wantLow || high !== wantHigh) {
        mismatches++;
        first ??= { t, low, high, wantLow, wantHigh };
      }
    }
    expect(first).toBeUndefined();
    expect(mismatches).toBe(0);
  });

  it('handles the edges: zero, negative zero, exact 2^32 carries, 2^53 and 2^64 offsets, the epoch, and non-numbers', () => {
    const originNs = epochNanos(0);
    const lowOfOrigin = Number(originNs & 0xffffffffn);
    const toCarry = (2 ** 32 - lowOfOrigin) / 1e6; // the offset that lands exactly on a carry
    const edges = [
      0, -0, 1e-7, -1e-7, 0.5e-6, 1.5e-6, -0.5e-6, toCarry, toCarry - 1e-6, toCarry + 1e-6,
      (2 ** 53 - 1) / 1e6, 2 ** 53 / 1e6, -(2 ** 53 - 1) / 1e6, -(2 ** 53) / 1e6, 2 ** 64 / 1e6, -(2 ** 64) / 1e6,
      (2 ** 64 - 2 ** 12) / 1e6, -(2 ** 64 - 2 ** 12) / 1e6, -performance.timeOrigin, -performance.timeOrigin - 1e-6, 1e300, -1e300,
      Number.MAX_VALUE, Number.MIN_VALUE, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY,
    ];
    for (const t of edges) expect([t, ...epochNanosHalves(t)]).toEqual([t, ...expectedHalves(t)]);
    expect(epochNanosHalves(Number.NaN)).toEqual([0, 0]);
    expect(epochNanosHalves(Number.MAX_VALUE)).toEqual([0, 0]); // t * 1e6 overflows: no time, no throw
  });

  it('writes span and event times that decode to epochNanos()', () => {
    const times = Array.from({ length: 200 }, () => Math.random() * 1e9);
    const spans = times.map((t, i) =>
      makeSpan({
        startTime: t,
        endTime: t + Math.random() * 1000,
        events: i % 5 === 0 ? [{ name: 'e', time: t + 0.123456789, attributes: undefined, droppedAttributesCount: 0 }] : [],
      }),
    );
    const bytes = encodeTraceRequestProto(RESOURCE, spans);
    expectCanonical(bytes);
    const got = flattenSpans(decodeProtoRequest(bytes));
    got.forEach((s, i) => {
      expect(s.startTimeUnixNano).toBe(nanosString(spans[i]!.startTime));
      expect(s.endTimeUnixNano).toBe(nanosString(spans[i]!.endTime));
      if (i % 5 === 0) expect(s.events[0]!.timeUnixNano).toBe(nanosString(spans[i]!.events[0]!.time));
    });
  });
});

describe('encodeTraceRequestProto ids from words', () => {
  it('writes SDK spans (root, local parent, remote parent) byte for byte like their hex form', () => {
    const { tracer, ended } = sdk();
    const remote = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: hex(16),
      spanId: hex(8),
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    });
    for (let i = 0; i < 40; i++) {
      const root = tracer.startSpan(`root-${i}`, { kind: SpanKind.SERVER, attributes: { i } }, i % 2 ? remote : ROOT_CONTEXT);
      const child = tracer.startSpan('child', { kind: SpanKind.CLIENT }, trace.setSpan(ROOT_CONTEXT, root));
      const grandchild = tracer.startSpan('grandchild', undefined, trace.setSpan(ROOT_CONTEXT, child));
      grandchild.addEvent('evt', { n: i });
      grandchild.addLink({ context: root.spanContext(), attributes: { why: 'test' } });
      grandchild.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
      grandchild.end();
      child.end();
      root.end();
    }
    // SDK spans first, while no hex has been built for the span ids.
    const fromWords = Buffer.from(encodeTraceRequestProto(RESOURCE, ended));
    const fromHex = Buffer.from(encodeTraceRequestProto(RESOURCE, ended.map(plainCopy)));
    expect(fromWords.equals(fromHex)).toBe(true);
    expectCanonical(fromWords);

    const got = flattenSpans(decodeProtoRequest(fromWords));
    expect(got).toHaveLength(ended.length);
    got.forEach((s, i) => {
      const want = ended[i]!;
      expect([s.traceId, s.spanId, s.parentSpanId]).toEqual([want.traceId, want.spanId, want.parentSpanId]);
    });
    expect(got.filter((s) => s.parentSpanId === undefined)).toHaveLength(20); // roots without a remote parent
  });

  it('reads the words, not the hex, when a record has them', () => {
    const noHex = (): never => {
      throw new Error('hex read');
    };
    const words = {
      trace: { w0: 0x01020304, w1: 0x05060708, w2: 0x090a0b0c, w3: 0xfffefdfc },
      s0: 0x80000001,
      s1: 0x7fffffff,
      localParent: { s0: 0xdeadbeef, s1: 0x00000001 },
    };
    const record = Object.defineProperties(makeSpan({ parentIsRemote: false, ...words }), {
      traceId: { get: noHex },
      spanId: { get: noHex },
      parentSpanId: { get: noHex },
    });
    const [got] = flattenSpans(decodeProtoRequest(encodeTraceRequestProto(RESOURCE, [record])));
    expect(got!.traceId).toBe('0102030405060708090a0b0cfffefdfc');
    expect(got!.spanId).toBe('800000017fffffff');
    expect(got!.parentSpanId).toBe('deadbeef00000001');
    expect(got!.flags).toBe(0x101); // local parent: remoteness known, not remote
  });

  it('takes a remote parent from parentSpanId when there is no local parent', () => {
    const parent = hex(8);
    const record = makeSpan({
      trace: { w0: 1, w1: 2, w2: 3, w3: 4 },
      s0: 5,
      s1: 6,
      localParent: undefined,
      parentSpanId: parent,
      parentIsRemote: true,
    });
    const [got] = flattenSpans(decodeProtoRequest(encodeTraceRequestProto(RESOURCE, [record])));
    expect(got!.traceId).toBe('00000001000000020000000300000004');
    expect(got!.spanId).toBe('0000000500000006');
    expect(got!.parentSpanId).toBe(parent);
    expect(got!.flags).toBe(0x301);
  });
});

describe('encodeTraceRequestProto attribute key cache', () => {
  it('encodes repeated, new, long, non-ASCII and empty keys the same once the cache is full', () => {
    // Test files run in their own process, so only this file's tests have filled the
    // cache: go past its 512 entries, reaching the limit in the middle of a measure pass.
    const batches: Attributes[][] = [];
    let k = 0;
    for (let b = 0; b < 6; b++) {
      batches.push(
        Array.from({ length: 10 }, () => {
          const attrs: Attributes = { 'http.request.method': 'GET', 'url.path': '/a' };
          for (let j = 0; j < 10; j++) attrs[`key.${k++}`] = k % 3 === 0 ? k : `v${k}`;
          attrs['clé.ünïcode'] = 'ü';
          attrs[`long.${'x'.repeat(140)}`] = true; // never cached (over 128 chars)
          attrs[''] = 'empty key';
          return attrs;
        }),
      );
    }
    for (const batch of batches) {
      const spans = batch.map((attributes) => makeSpan({ attributes }));
      const bytes = encodeTraceRequestProto(RESOURCE, spans);
      expectCanonical(bytes);
      flattenSpans(decodeProtoRequest(bytes)).forEach((s, i) => expect(attributeMap(s.attributes)).toEqual(batch[i]));
    }
    expect(k).toBe(600); // more keys than the cache holds
    // Keys cached early and keys seen only after it filled, in one batch, in both orders.
    const mixed = [
      { 'key.0': 1, 'new.after.full': 'x', 'http.request.method': 'POST' },
      { 'new.after.full': 'y', 'http.request.method': 'PUT', 'key.0': 2 },
    ];
    const bytes = encodeTraceRequestProto(RESOURCE, mixed.map((attributes) => makeSpan({ attributes })));
    expectCanonical(bytes);
    expect(flattenSpans(decodeProtoRequest(bytes)).map((s) => attributeMap(s.attributes))).toEqual(mixed);
  });

  it('keeps keys right when spans set different keys at the same positions', () => {
    const sets: Attributes[] = [
      { a: 1, b: 'x', c: true },
      { b: 'y', a: 2, d: 'z' },
      { c: false },
      { a: 3, b: 'w', c: true, e: [1, 2] },
      {},
    ];
    const spans = Array.from({ length: 50 }, (_, i) =>
      makeSpan({
        attributes: sets[i % sets.length]!,
        events: [{ name: 'e', time: 1, attributes: sets[(i + 1) % sets.length], droppedAttributesCount: 0 }],
      }),
    );
    const bytes = encodeTraceRequestProto(RESOURCE, spans);
    expectCanonical(bytes);
    flattenSpans(decodeProtoRequest(bytes)).forEach((s, i) => {
      expect(attributeMap(s.attributes)).toEqual(sets[i % sets.length]);
      expect(attributeMap(s.events[0]!.attributes)).toEqual(sets[(i + 1) % sets.length]);
    });
  });
});

describe('encodeTraceRequestProto attribute value cache', () => {
  /** Encodes `batches` in turn and checks every span's attributes and the canonical bytes. */
  function roundTrip(batches: Attributes[][], expected: Attributes[][] = batches): void {
    batches.forEach((batch, b) => {
      const bytes = encodeTraceRequestProto(RESOURCE, batch.map((attributes) => makeSpan({ attributes })));
      expectCanonical(bytes);
      expect(flattenSpans(decodeProtoRequest(bytes)).map((s) => attributeMap(s.attributes))).toEqual(expected[b]);
    });
  }

  it('writes repeated, changing and returning values right within a batch and across batches', () => {
    const values = ['GET', 'POST', 'GET', 'GET', 'PUT', 'GET'];
    const batch = (offset: number): Attributes[] =>
      values.map((method, i) => ({
        'http.request.method': method,
        'key.4': i % 2 === 0 ? '/users/:id' : '/orders/:id',
        'key.5': i === 4 ? 500 : 200,
        'key.6': 3000,
        'key.7': i % 3 !== 0,
        'key.8': 0.5,
        'url.path': `/users/${offset + i}`, // a new value every span
      }));
    roundTrip([batch(0), batch(100), batch(200)]);
    // A hit measured before a miss of another length, both written after: each keeps its own length.
    // (Keys the cache holds: an earlier test in this file filled it, and only cached keys keep values.)
    const lengths = ['a', 'a', 'bbbbbbbb', 'bbbbbbbb', 'a', 'cc', 'a', 'a'].map((v) => ({ 'http.request.method': v, 'url.path': v.length }));
    roundTrip([lengths, lengths]);
  });

  it('keeps values apart that are equal for === but not for the wire, and types that differ', () => {
    // 0 and -0 are === and both are the int 0 on the wire; NaN never equals itself; '1' is not 1.
    const n = 'key.2';
    const batch: Attributes[] = [-0, 0, -0, Number.NaN, Number.NaN, '1', 1, 1.5, true, [1, 2], [1, 2], 1].map((v) => ({ [n]: v }));
    roundTrip([batch], [batch.map((a) => (Object.is(a[n], -0) ? { [n]: 0 } : a))]);
  });

  it('writes long values, non-ASCII values and high-cardinality keys the same every time', () => {
    const long = 'x'.repeat(200); // a field over the kept size: never kept
    const spans: Attributes[] = Array.from({ length: 600 }, (_, i) => ({
      'key.1': i % 7 === 0 ? `${long}${i}` : long,
      'key.3': 40000 + i, // gives up after a few misses, then retries now and then
      'url.path': i < 300 ? 'ünïcode-db' : 'plain',
      'http.request.method': '10.0.0.1',
    }));
    roundTrip([spans.slice(0, 300), spans.slice(300)]);
  });

  it('decodes to the attributes given, for random sequences of values over several batches (property)', () => {
    const value = fc.oneof(
      fc.constantFrom('GET', 'POST', '/users/:id', '', 'ü', 'x'.repeat(90), 'y'.repeat(100)),
      fc.string({ maxLength: 40 }),
      fc.integer({ min: -5, max: 70000 }),
      fc.boolean(),
      fc.constantFrom(0.5, 2 ** 40, -(2 ** 40)),
    );
    const span = fc.record({ 'http.request.method': value, 'url.path': value, 'key.9': value }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.array(fc.array(span, { maxLength: 30 }), { minLength: 1, maxLength: 4 }), (batches) => {
        roundTrip(batches as Attributes[][]);
      }),
      { numRuns: 200 },
    );
  });

  it('still writes each span alone right (the padded word copy stays inside the request)', () => {
    for (const attributes of [{ a: 'x' }, { a: 'x' }, { 'k.e.y': 'va' }, { 'k.e.y': 'va', a: 'x' }]) {
      roundTrip([[attributes]]);
    }
  });
});
