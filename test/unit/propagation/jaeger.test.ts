import { describe, it, expect } from 'vitest';
import { INVALID_SPAN_CONTEXT, propagation, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { JaegerPropagator } from '../../../src/propagation/jaeger';
import { suppressTracing } from '../../../src/suppress';
import { contextWith, extract, extractSpanContext, inject, SPAN_ID, TRACE_ID } from './helpers';

const propagator = new JaegerPropagator();

describe('uber-trace-id extract', () => {
  it('reads full-width ids with a deprecated parent of 0', () => {
    const sc = extractSpanContext(propagator, { 'uber-trace-id': `${TRACE_ID}:${SPAN_ID}:0:01` });
    expect(sc).toEqual({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED, isRemote: true });
  });

  it('left-pads short ids', () => {
    const sc = extractSpanContext(propagator, { 'uber-trace-id': 'deadbeef:cafe:0:1' });
    expect(sc?.traceId).toBe('000000000000000000000000deadbeef');
    expect(sc?.spanId).toBe('000000000000cafe');
  });

  it('reads a non-zero parent id and the 64-bit trace id form', () => {
    const sc = extractSpanContext(propagator, { 'uber-trace-id': `${SPAN_ID}:${SPAN_ID}:a1b2c3:1` });
    expect(sc?.traceId).toBe(`0000000000000000${SPAN_ID}`);
  });

  it('accepts URL-encoded colons', () => {
    expect(extractSpanContext(propagator, { 'uber-trace-id': `${TRACE_ID}%3A${SPAN_ID}%3A0%3A1` })?.traceId).toBe(TRACE_ID);
    expect(extractSpanContext(propagator, { 'uber-trace-id': `${TRACE_ID}%3a${SPAN_ID}%3a0%3a1` })?.spanId).toBe(SPAN_ID);
  });

  it('accepts uppercase hex and lowercases it', () => {
    const sc = extractSpanContext(propagator, { 'uber-trace-id': `${TRACE_ID.toUpperCase()}:${SPAN_ID.toUpperCase()}:0:1` });
    expect(sc?.traceId).toBe(TRACE_ID);
    expect(sc?.spanId).toBe(SPAN_ID);
  });

  it('reads the sampled bit of the flags only', () => {
    const flagsOf = (flags: string) =>
      extractSpanContext(propagator, { 'uber-trace-id': `${TRACE_ID}:${SPAN_ID}:0:${flags}` })?.traceFlags;
    expect(flagsOf('0')).toBe(TraceFlags.NONE);
    expect(flagsOf('00')).toBe(TraceFlags.NONE);
    expect(flagsOf('03')).toBe(TraceFlags.SAMPLED); // sampled + debug
    expect(flagsOf('02')).toBe(TraceFlags.NONE);
  });

  const invalid: Array<[string, string]> = [
    ['three fields', `${TRACE_ID}:${SPAN_ID}:1`],
    ['five fields', `${TRACE_ID}:${SPAN_ID}:0:1:0`],
    ['trace id 0', `0:${SPAN_ID}:0:1`],
    ['span id 0', `${TRACE_ID}:0000000000000000:0:1`],
    ['non-hex trace id', `${TRACE_ID.slice(1)}z:${SPAN_ID}:0:1`],
    ['trace id of 33 digits', `a${TRACE_ID}:${SPAN_ID}:0:1`],
    ['span id of 17 digits', `${TRACE_ID}:a${SPAN_ID}:0:1`],
    ['flags of 3 digits', `${TRACE_ID}:${SPAN_ID}:0:001`],
    ['empty parent', `${TRACE_ID}:${SPAN_ID}::1`],
    ['empty flags', `${TRACE_ID}:${SPAN_ID}:0:`],
    ['malformed escape', `${TRACE_ID}%3A${SPAN_ID}%3A0%3A1%`],
    ['dashes instead of colons', `${TRACE_ID}-${SPAN_ID}-0-1`],
  ];
  for (const [name, value] of invalid) {
    it(`ignores ${name}`, () => {
      expect(extract(propagator, { 'uber-trace-id': value })).toBe(ROOT_CONTEXT);
    });
  }
});

describe('uberctx baggage', () => {
  it('reads uberctx-{key} headers, percent-decoded', () => {
    const ctx = extract(propagator, { 'uberctx-user': 'alice%20smith', 'uberctx-plain': 'x', other: 'ignored' });
    const entries = propagation.getBaggage(ctx)?.getAllEntries();
    expect(Object.fromEntries((entries ?? []).map(([k, e]) => [k, e.value]))).toEqual({ user: 'alice smith', plain: 'x' });
    expect(trace.getSpanContext(ctx)).toBeUndefined();
  });

  it('matches the prefix case-insensitively', () => {
    const ctx = extract(propagator, { 'UberCtx-key': 'v' });
    expect(propagation.getBaggage(ctx)?.getEntry('key')?.value).toBe('v');
  });

  it('skips malformed values and an empty key', () => {
    const ctx = extract(propagator, { 'uberctx-bad': '%zz', 'uberctx-': 'v', 'uberctx-good': '1' });
    expect(propagation.getBaggage(ctx)?.getAllEntries().map(([k]) => k)).toEqual(['good']);
  });

  it('adds to baggage already in the context', () => {
    const base = propagation.setBaggage(ROOT_CONTEXT, propagation.createBaggage({ existing: { value: 'e' } }));
    const ctx = extract(propagator, { 'uberctx-k': '1' }, base);
    expect(propagation.getBaggage(ctx)?.getEntry('existing')?.value).toBe('e');
    expect(propagation.getBaggage(ctx)?.getEntry('k')?.value).toBe('1');
  });
});

describe('inject', () => {
  it('writes uber-trace-id with parent 0 and two-digit flags', () => {
    expect(inject(propagator, contextWith())).toEqual({ 'uber-trace-id': `${TRACE_ID}:${SPAN_ID}:0:01` });
    expect(inject(propagator, contextWith({ traceFlags: TraceFlags.NONE }))['uber-trace-id']).toBe(
      `${TRACE_ID}:${SPAN_ID}:0:00`,
    );
  });

  it('writes baggage as uberctx- headers, percent-encoded, and round-trips it', () => {
    const ctx = propagation.setBaggage(
      contextWith(),
      propagation.createBaggage({ user: { value: 'alice smith' }, 'bad key': { value: 'x' } }),
    );
    const carrier = inject(propagator, ctx);
    expect(carrier).toEqual({ 'uber-trace-id': `${TRACE_ID}:${SPAN_ID}:0:01`, 'uberctx-user': 'alice%20smith' });
    expect(propagation.getBaggage(extract(propagator, carrier))?.getEntry('user')?.value).toBe('alice smith');
  });

  it('writes baggage but no uber-trace-id without a valid span context', () => {
    const ctx = propagation.setBaggage(
      trace.setSpanContext(ROOT_CONTEXT, INVALID_SPAN_CONTEXT),
      propagation.createBaggage({ k: { value: 'v' } }),
    );
    expect(inject(propagator, ctx)).toEqual({ 'uberctx-k': 'v' });
  });

  it('injects nothing when suppressed', () => {
    const ctx = propagation.setBaggage(contextWith(), propagation.createBaggage({ k: { value: 'v' } }));
    expect(inject(propagator, suppressTracing(ctx))).toEqual({});
  });

  it('lists only the fixed header', () => {
    expect(propagator.fields()).toEqual(['uber-trace-id']);
  });
});
