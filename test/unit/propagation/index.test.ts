import { afterEach, beforeEach, describe, it, expect } from 'vitest';
import { propagation, ROOT_CONTEXT } from '@opentelemetry/api';
import { setLogLevel, setLogSink } from '../../../src/diag';
import { createPropagator } from '../../../src/propagation';
import { contextWith, extract, inject, SPAN_ID, TRACE_ID } from './helpers';

let lines: string[] = [];

beforeEach(() => {
  lines = [];
  setLogLevel('info');
  setLogSink((line) => lines.push(line));
});

afterEach(() => {
  setLogSink((line) => process.stderr.write(line + '\n'));
});

describe('createPropagator', () => {
  it('maps the default list to trace context and baggage', () => {
    const p = createPropagator(['tracecontext', 'baggage']);
    expect(p.fields()).toEqual(['traceparent', 'tracestate', 'baggage']);
    const ctx = propagation.setBaggage(contextWith(), propagation.createBaggage({ k: { value: 'v' } }));
    expect(inject(p, ctx)).toEqual({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`, baggage: 'k=v' });
  });

  it('maps b3 to the single header and b3multi to X-B3-*', () => {
    expect(createPropagator(['b3']).fields()).toEqual(['b3']);
    expect(createPropagator(['b3multi']).fields()).toEqual([
      'x-b3-traceid',
      'x-b3-spanid',
      'x-b3-parentspanid',
      'x-b3-sampled',
      'x-b3-flags',
    ]);
  });

  it('maps jaeger', () => {
    expect(inject(createPropagator(['jaeger']), contextWith())).toEqual({
      'uber-trace-id': `${TRACE_ID}:${SPAN_ID}:0:01`,
    });
  });

  it('keeps list order for extract precedence', () => {
    const headers = {
      traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`,
      b3: '22222222222222222222222222222222-2222222222222222-1',
    };
    const b3First = createPropagator(['b3', 'tracecontext']);
    const sc = (p: ReturnType<typeof createPropagator>) =>
      inject(createPropagator(['tracecontext']), extract(p, headers)).traceparent;
    expect(sc(b3First)).toBe('00-22222222222222222222222222222222-2222222222222222-01');
    expect(sc(createPropagator(['tracecontext', 'b3']))).toBe(`00-${TRACE_ID}-${SPAN_ID}-01`);
  });

  it('tolerates case, whitespace and repeats', () => {
    expect(createPropagator([' TraceContext ', 'tracecontext', 'BAGGAGE']).fields()).toEqual([
      'traceparent',
      'tracestate',
      'baggage',
    ]);
    expect(lines).toEqual([]);
  });

  it('none configures nothing', () => {
    const p = createPropagator(['none']);
    expect(p.fields()).toEqual([]);
    expect(inject(p, contextWith())).toEqual({});
    expect(extract(p, { traceparent: `00-${TRACE_ID}-${SPAN_ID}-01` })).toBe(ROOT_CONTEXT);
    expect(lines).toEqual([]);
  });

  it('warns once per unknown name, naming it, and skips it', () => {
    const p = createPropagator(['xray', 'tracecontext', 'bogus']);
    expect(p.fields()).toEqual(['traceparent', 'tracestate']);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\[waymark\] warn: .*"xray"/);
    expect(lines[1]).toMatch(/"bogus"/);
  });

  it('never throws into the caller', () => {
    const p = createPropagator(['tracecontext', 'baggage', 'b3', 'b3multi', 'jaeger']);
    const badGetter = {
      get() {
        throw new Error('boom');
      },
      keys() {
        throw new Error('boom');
      },
    };
    const badSetter = {
      set() {
        throw new Error('boom');
      },
    };
    expect(p.extract(ROOT_CONTEXT, {}, badGetter)).toBe(ROOT_CONTEXT);
    expect(() => p.inject(contextWith(), {}, badSetter)).not.toThrow();
  });
});
