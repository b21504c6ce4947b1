import { describe, it, expect } from 'vitest';
import { INVALID_SPAN_CONTEXT, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import {
  B3_DEBUG_FLAG_KEY,
  createB3MultiPropagator,
  createB3SinglePropagator,
} from '../../../src/propagation/b3';
import { SAMPLING_REQUEST_KEY } from '../../../src/span-context/sampling-request';
import { suppressTracing } from '../../../src/suppress';
import { contextWith, extract, extractSpanContext, inject, SPAN_ID, TRACE_ID } from './helpers';

const single = createB3SinglePropagator();
const multi = createB3MultiPropagator();

// The examples of the B3 specification (https://github.com/openzipkin/b3-propagation).
const README_TRACE = '80f198ee56343ba864fe8b2a57d3eff7';
const README_SPAN = 'e457b5a2e4d86bd1';
const README_PARENT = '05e3ac9a4f6e3b90';

describe('B3 single header: extract', () => {
  it('reads the README example with a parent id', () => {
    const sc = extractSpanContext(single, { b3: `${README_TRACE}-${README_SPAN}-1-${README_PARENT}` });
    expect(sc).toEqual({ traceId: README_TRACE, spanId: README_SPAN, traceFlags: TraceFlags.SAMPLED, isRemote: true });
  });

  it('reads a sampled root span', () => {
    expect(extractSpanContext(single, { b3: `${TRACE_ID}-${SPAN_ID}-1` })?.traceFlags).toBe(TraceFlags.SAMPLED);
  });

  it('reads a not-yet-sampled root span (deferred) as not sampled', () => {
    const sc = extractSpanContext(single, { b3: `${TRACE_ID}-${SPAN_ID}` });
    expect(sc).toEqual({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.NONE, isRemote: true });
  });

  it('reads a denied span', () => {
    expect(extractSpanContext(single, { b3: `${TRACE_ID}-${SPAN_ID}-0` })?.traceFlags).toBe(TraceFlags.NONE);
  });

  it('reads a debug child span as sampled and remembers debug', () => {
    const ctx = extract(single, { b3: `${TRACE_ID}-${SPAN_ID}-d-5b4185666d50f68b` });
    expect(trace.getSpanContext(ctx)?.traceFlags).toBe(TraceFlags.SAMPLED);
    expect(ctx.getValue(B3_DEBUG_FLAG_KEY)).toBe(true);
  });

  it('clears a stale debug mark from the base context', () => {
    const base = ROOT_CONTEXT.setValue(B3_DEBUG_FLAG_KEY, true);
    const ctx = extract(single, { b3: `${TRACE_ID}-${SPAN_ID}-1` }, base);
    expect(ctx.getValue(B3_DEBUG_FLAG_KEY)).toBeUndefined();
  });

  it('left-pads a 64-bit trace id to 128 bits', () => {
    expect(extractSpanContext(single, { b3: `${README_SPAN}-${SPAN_ID}-1` })?.traceId).toBe(`0000000000000000${README_SPAN}`);
  });

  it('uses the first of repeated headers', () => {
    const sc = extractSpanContext(single, { b3: [`${TRACE_ID}-${SPAN_ID}-1`, `${README_TRACE}-${README_SPAN}-0`] });
    expect(sc?.traceId).toBe(TRACE_ID);
  });

  it('reads sampling-only headers as a hint without a span context', () => {
    for (const [value, hint] of [
      ['0', 'deny'],
      ['1', 'accept'],
      ['d', 'debug'],
    ] as const) {
      const ctx = extract(single, { b3: value });
      expect(trace.getSpanContext(ctx)).toBeUndefined();
      expect(ctx.getValue(SAMPLING_REQUEST_KEY)).toBe(hint);
    }
  });

  const invalid: Array<[string, string]> = [
    ['empty', ''],
    ['unknown sampling-only value', '2'],
    ['uppercase trace id', `${README_TRACE.toUpperCase()}-${README_SPAN}-1`],
    ['uppercase span id', `${README_TRACE}-${README_SPAN.toUpperCase()}-1`],
    ['trace id of 31 chars', `${README_TRACE.slice(1)}-${README_SPAN}-1`],
    ['trace id of 24 chars', `${README_TRACE.slice(8)}-${README_SPAN}-1`],
    ['span id of 15 chars', `${README_TRACE}-${README_SPAN.slice(1)}-1`],
    ['all-zero trace id', `${'0'.repeat(32)}-${README_SPAN}-1`],
    ['all-zero span id', `${README_TRACE}-${'0'.repeat(16)}-1`],
    ['unknown sampling state', `${README_TRACE}-${README_SPAN}-x`],
    ['"true" as sampling state', `${README_TRACE}-${README_SPAN}-true`],
    ['parent id without a sampling state', `${README_TRACE}-${README_SPAN}-${README_PARENT}`],
    ['parent id of 15 chars', `${README_TRACE}-${README_SPAN}-1-${README_PARENT.slice(1)}`],
    ['too many fields', `${README_TRACE}-${README_SPAN}-1-${README_PARENT}-1`],
    ['trace id only', README_TRACE],
    ['non-hex span id', `${README_TRACE}-${README_SPAN.slice(1)}g-1`],
  ];
  for (const [name, value] of invalid) {
    it(`ignores ${name}`, () => {
      expect(extract(single, { b3: value })).toBe(ROOT_CONTEXT);
    });
  }
});

describe('B3 single header: inject', () => {
  it('writes trace id, span id and the sampling state', () => {
    expect(inject(single, contextWith())).toEqual({ b3: `${TRACE_ID}-${SPAN_ID}-1` });
    expect(inject(single, contextWith({ traceFlags: TraceFlags.NONE }))).toEqual({ b3: `${TRACE_ID}-${SPAN_ID}-0` });
  });

  it('keeps debug as "d" while sampled', () => {
    const debug = contextWith().setValue(B3_DEBUG_FLAG_KEY, true);
    expect(inject(single, debug).b3).toBe(`${TRACE_ID}-${SPAN_ID}-d`);
    const unsampled = contextWith({ traceFlags: TraceFlags.NONE }).setValue(B3_DEBUG_FLAG_KEY, true);
    expect(inject(single, unsampled).b3).toBe(`${TRACE_ID}-${SPAN_ID}-0`);
  });

  it('round-trips a debug context', () => {
    const ctx = extract(single, { b3: `${README_TRACE}-${README_SPAN}-d` });
    expect(inject(single, ctx)).toEqual({ b3: `${README_TRACE}-${README_SPAN}-d` });
  });

  it('injects nothing for invalid, missing or suppressed span contexts', () => {
    expect(inject(single, trace.setSpanContext(ROOT_CONTEXT, INVALID_SPAN_CONTEXT))).toEqual({});
    expect(inject(single, ROOT_CONTEXT)).toEqual({});
    expect(inject(single, suppressTracing(contextWith()))).toEqual({});
    expect(inject(single, extract(single, { b3: '1' }))).toEqual({});
  });

  it('lists its header', () => {
    expect(single.fields()).toEqual(['b3']);
  });
});

describe('B3 multiple headers: extract', () => {
  it('reads the README example', () => {
    const sc = extractSpanContext(multi, {
      'x-b3-traceid': README_TRACE,
      'x-b3-parentspanid': README_PARENT,
      'x-b3-spanid': README_SPAN,
      'x-b3-sampled': '1',
    });
    expect(sc).toEqual({ traceId: README_TRACE, spanId: README_SPAN, traceFlags: TraceFlags.SAMPLED, isRemote: true });
  });

  it('reads an absent X-B3-Sampled (deferred) and 0 as not sampled', () => {
    const ids = { 'x-b3-traceid': README_TRACE, 'x-b3-spanid': README_SPAN };
    expect(extractSpanContext(multi, ids)?.traceFlags).toBe(TraceFlags.NONE);
    expect(extractSpanContext(multi, { ...ids, 'x-b3-sampled': '0' })?.traceFlags).toBe(TraceFlags.NONE);
  });

  it('accepts the legacy true/false sampled values', () => {
    const ids = { 'x-b3-traceid': README_TRACE, 'x-b3-spanid': README_SPAN };
    expect(extractSpanContext(multi, { ...ids, 'x-b3-sampled': 'true' })?.traceFlags).toBe(TraceFlags.SAMPLED);
    expect(extractSpanContext(multi, { ...ids, 'x-b3-sampled': 'false' })?.traceFlags).toBe(TraceFlags.NONE);
  });

  it('reads X-B3-Flags: 1 as debug, which implies sampled', () => {
    const ctx = extract(multi, { 'x-b3-traceid': README_TRACE, 'x-b3-spanid': README_SPAN, 'x-b3-flags': '1' });
    expect(trace.getSpanContext(ctx)?.traceFlags).toBe(TraceFlags.SAMPLED);
    expect(ctx.getValue(B3_DEBUG_FLAG_KEY)).toBe(true);
  });

  it('ignores other X-B3-Flags values', () => {
    const ctx = extract(multi, { 'x-b3-traceid': README_TRACE, 'x-b3-spanid': README_SPAN, 'x-b3-flags': '0' });
    expect(trace.getSpanContext(ctx)?.traceFlags).toBe(TraceFlags.NONE);
    expect(ctx.getValue(B3_DEBUG_FLAG_KEY)).toBeUndefined();
  });

  it('left-pads a 64-bit trace id', () => {
    const sc = extractSpanContext(multi, { 'x-b3-traceid': README_SPAN, 'x-b3-spanid': README_SPAN });
    expect(sc?.traceId).toBe(`0000000000000000${README_SPAN}`);
  });

  it('reads a sampling decision sent without ids as a hint', () => {
    expect(extract(multi, { 'x-b3-sampled': '0' }).getValue(SAMPLING_REQUEST_KEY)).toBe('deny');
    expect(extract(multi, { 'x-b3-sampled': '1' }).getValue(SAMPLING_REQUEST_KEY)).toBe('accept');
    expect(extract(multi, { 'x-b3-flags': '1' }).getValue(SAMPLING_REQUEST_KEY)).toBe('debug');
    expect(trace.getSpanContext(extract(multi, { 'x-b3-sampled': '1' }))).toBeUndefined();
  });

  const invalid: Array<[string, Record<string, string>]> = [
    ['no headers', {}],
    ['span id missing', { 'x-b3-traceid': README_TRACE, 'x-b3-sampled': '1' }],
    ['trace id missing', { 'x-b3-spanid': README_SPAN, 'x-b3-sampled': '1' }],
    ['uppercase trace id', { 'x-b3-traceid': README_TRACE.toUpperCase(), 'x-b3-spanid': README_SPAN }],
    ['trace id of 20 chars', { 'x-b3-traceid': README_TRACE.slice(12), 'x-b3-spanid': README_SPAN }],
    ['all-zero span id', { 'x-b3-traceid': README_TRACE, 'x-b3-spanid': '0'.repeat(16) }],
    [
      'malformed parent id',
      { 'x-b3-traceid': README_TRACE, 'x-b3-spanid': README_SPAN, 'x-b3-parentspanid': 'xyz' },
    ],
  ];
  for (const [name, headers] of invalid) {
    it(`ignores ${name}`, () => {
      expect(extract(multi, headers)).toBe(ROOT_CONTEXT);
    });
  }
});

describe('B3 multiple headers: inject', () => {
  it('writes ids and X-B3-Sampled', () => {
    expect(inject(multi, contextWith())).toEqual({ 'x-b3-traceid': TRACE_ID, 'x-b3-spanid': SPAN_ID, 'x-b3-sampled': '1' });
    expect(inject(multi, contextWith({ traceFlags: TraceFlags.NONE }))['x-b3-sampled']).toBe('0');
  });

  it('writes X-B3-Flags: 1 instead of X-B3-Sampled for debug', () => {
    const carrier = inject(multi, contextWith().setValue(B3_DEBUG_FLAG_KEY, true));
    expect(carrier).toEqual({ 'x-b3-traceid': TRACE_ID, 'x-b3-spanid': SPAN_ID, 'x-b3-flags': '1' });
  });

  it('injects nothing for invalid or suppressed span contexts', () => {
    expect(inject(multi, trace.setSpanContext(ROOT_CONTEXT, INVALID_SPAN_CONTEXT))).toEqual({});
    expect(inject(multi, suppressTracing(contextWith()))).toEqual({});
  });

  it('lists every X-B3 header', () => {
    expect(multi.fields()).toEqual(['x-b3-traceid', 'x-b3-spanid', 'x-b3-parentspanid', 'x-b3-sampled', 'x-b3-flags']);
  });
});
