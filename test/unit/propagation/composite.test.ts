import { describe, it, expect } from 'vitest';
import {
  defaultTextMapGetter,
  propagation,
  ROOT_CONTEXT,
  trace,
  TraceFlags,
  type Context,
  type TextMapPropagator,
} from '@opentelemetry/api';
import { W3CBaggagePropagator } from '../../../src/propagation/baggage';
import { B3_DEBUG_FLAG_KEY, createB3SinglePropagator } from '../../../src/propagation/b3';
import { CompositePropagator } from '../../../src/propagation/composite';
import { JaegerPropagator } from '../../../src/propagation/jaeger';
import { W3CTraceContextPropagator } from '../../../src/propagation/trace-context';
import { contextWith, extract, inject, SPAN_ID, TRACE_ID } from './helpers';

const W3C_TRACE = '11111111111111111111111111111111';
const W3C_SPAN = '1111111111111111';
const B3_TRACE = '22222222222222222222222222222222';
const B3_SPAN = '2222222222222222';
const headers = {
  traceparent: `00-${W3C_TRACE}-${W3C_SPAN}-01`,
  b3: `${B3_TRACE}-${B3_SPAN}-d`,
};

const throwing: TextMapPropagator = {
  inject() {
    throw new Error('inject failed');
  },
  extract() {
    throw new Error('extract failed');
  },
  fields() {
    throw new Error('fields failed');
  },
};

/** A baggage format that replaces (rather than merges) the context's baggage on extract. */
const replacingBaggage: TextMapPropagator = {
  inject() {},
  extract(ctx: Context) {
    return propagation.setBaggage(ctx, propagation.createBaggage({ replaced: { value: 'r' } }));
  },
  fields: () => ['x-replace'],
};

function baggageValues(ctx: Context): Record<string, string> {
  return Object.fromEntries((propagation.getBaggage(ctx)?.getAllEntries() ?? []).map(([k, e]) => [k, e.value]));
}

describe('CompositePropagator extract', () => {
  it('takes the span context from the first format in the list that has one', () => {
    const w3cFirst = new CompositePropagator([new W3CTraceContextPropagator(), createB3SinglePropagator()]);
    expect(trace.getSpanContext(extract(w3cFirst, headers))?.traceId).toBe(W3C_TRACE);
    const b3First = new CompositePropagator([createB3SinglePropagator(), new W3CTraceContextPropagator()]);
    expect(trace.getSpanContext(extract(b3First, headers))?.traceId).toBe(B3_TRACE);
  });

  it('falls through to a later format when an earlier one finds nothing valid', () => {
    const p = new CompositePropagator([new W3CTraceContextPropagator(), createB3SinglePropagator()]);
    const sc = trace.getSpanContext(extract(p, { ...headers, traceparent: 'garbage' }));
    expect(sc).toEqual({ traceId: B3_TRACE, spanId: B3_SPAN, traceFlags: TraceFlags.SAMPLED, isRemote: true });
  });

  it('does not carry a losing format’s side values (B3 debug) along', () => {
    const p = new CompositePropagator([new W3CTraceContextPropagator(), createB3SinglePropagator()]);
    expect(extract(p, headers).getValue(B3_DEBUG_FLAG_KEY)).toBeUndefined();
    const b3First = new CompositePropagator([createB3SinglePropagator(), new W3CTraceContextPropagator()]);
    expect(extract(b3First, headers).getValue(B3_DEBUG_FLAG_KEY)).toBe(true);
  });

  it('merges baggage from every format, including one that loses on span context', () => {
    const p = new CompositePropagator([new W3CTraceContextPropagator(), new W3CBaggagePropagator(), new JaegerPropagator()]);
    const ctx = extract(p, {
      ...headers,
      baggage: 'a=1,shared=w3c',
      'uber-trace-id': `${TRACE_ID}:${SPAN_ID}:0:1`,
      'uberctx-b': '2',
    });
    expect(trace.getSpanContext(ctx)?.traceId).toBe(W3C_TRACE);
    expect(baggageValues(ctx)).toEqual({ a: '1', shared: 'w3c', b: '2' });
  });

  it('keeps earlier baggage when a later format replaces the context baggage', () => {
    const p = new CompositePropagator([new W3CBaggagePropagator(), replacingBaggage]);
    expect(baggageValues(extract(p, { baggage: 'a=1' }))).toEqual({ a: '1', replaced: 'r' });
  });

  it('returns the same context when no format finds anything', () => {
    const p = new CompositePropagator([new W3CTraceContextPropagator(), new W3CBaggagePropagator()]);
    expect(extract(p, {})).toBe(ROOT_CONTEXT);
  });

  it('skips a throwing format and still extracts the others', () => {
    const p = new CompositePropagator([throwing, new W3CTraceContextPropagator()]);
    expect(trace.getSpanContext(extract(p, headers))?.traceId).toBe(W3C_TRACE);
  });

  it('returns the context unchanged when merging a broken baggage throws', () => {
    const brokenBaggage = propagation.createBaggage();
    brokenBaggage.getAllEntries = () => {
      throw new Error('broken baggage');
    };
    const broken: TextMapPropagator = {
      inject() {},
      extract: (ctx: Context) => propagation.setBaggage(ctx, brokenBaggage),
      fields: () => [],
    };
    const p = new CompositePropagator([new W3CBaggagePropagator(), broken]);
    expect(extract(p, { baggage: 'a=1' })).toBe(ROOT_CONTEXT);
  });

  it('returns the context unchanged when the getter throws', () => {
    const p = new CompositePropagator([new W3CTraceContextPropagator(), new JaegerPropagator()]);
    const getter = {
      ...defaultTextMapGetter,
      get() {
        throw new Error('bad carrier');
      },
      keys() {
        throw new Error('bad carrier');
      },
    };
    expect(p.extract(ROOT_CONTEXT, {}, getter)).toBe(ROOT_CONTEXT);
  });
});

describe('CompositePropagator inject', () => {
  it('injects every format', () => {
    const p = new CompositePropagator([new W3CTraceContextPropagator(), createB3SinglePropagator(), new W3CBaggagePropagator()]);
    const ctx = propagation.setBaggage(contextWith(), propagation.createBaggage({ k: { value: 'v' } }));
    expect(inject(p, ctx)).toEqual({
      traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`,
      b3: `${TRACE_ID}-${SPAN_ID}-1`,
      baggage: 'k=v',
    });
  });

  it('skips a throwing format and keeps injecting the rest', () => {
    const p = new CompositePropagator([throwing, new W3CTraceContextPropagator()]);
    expect(inject(p, contextWith())).toEqual({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01` });
  });

  it('does not throw when the setter throws', () => {
    const p = new CompositePropagator([new W3CTraceContextPropagator()]);
    const setter = {
      set() {
        throw new Error('headers already sent');
      },
    };
    expect(() => p.inject(contextWith(), {}, setter)).not.toThrow();
  });
});

describe('CompositePropagator fields', () => {
  it('is the union of the formats’ fields, in order, without duplicates', () => {
    const p = new CompositePropagator([
      new W3CTraceContextPropagator(),
      throwing,
      new W3CTraceContextPropagator(),
      new W3CBaggagePropagator(),
    ]);
    expect(p.fields()).toEqual(['traceparent', 'tracestate', 'baggage']);
  });

  it('returns a copy the caller cannot use to change it', () => {
    const p = new CompositePropagator([new W3CBaggagePropagator()]);
    p.fields().push('x');
    expect(p.fields()).toEqual(['baggage']);
  });
});
