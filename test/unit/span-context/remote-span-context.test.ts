import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/config';
import type { SpanRecord } from '../../../src/export/span-record';
import { parseTraceParent } from '../../../src/propagation/trace-context';
import { TraceId } from '../../../src/span-context/ids';
import { isValidSpanContext, RemoteSpanContext } from '../../../src/span-context/remote-span-context';
import { createSampler } from '../../../src/sdk/sampler';
import { Span } from '../../../src/sdk/span';
import { Tracer } from '../../../src/sdk/tracer';

const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const P = '00f067aa0ba902b7';

function setup() {
  const ended: SpanRecord[] = [];
  const config = readConfig({});
  const tracer = new Tracer(
    { name: 'test' },
    { sample: createSampler(config.sampler.name, config.sampler.arg), limits: config.limits, sink: { onEnd: (s) => ended.push(s) } },
  );
  return { tracer, ended };
}

const words = (id: TraceId) => [id.w0, id.w1, id.w2, id.w3];
const hexDigit = fc.constantFrom(...'0123456789abcdef');
const hex = (n: number) => fc.array(hexDigit, { minLength: n, maxLength: n }).map((a) => a.join(''));

describe('traceparent parsed into words', () => {
  it('gives the same words as parsing the hex, for any trace id', () => {
    fc.assert(
      fc.property(hex(32), hex(16), (traceId, spanId) => {
        const sc = parseTraceParent(`00-${traceId}-${spanId}-01`);
        if (/^0+$/.test(traceId) || /^0+$/.test(spanId)) return sc === undefined;
        const parsed = (sc as RemoteSpanContext).parsedTrace()!;
        expect(words(parsed)).toEqual(words(TraceId.fromHex(traceId, 0)));
        expect(parsed.hex).toBe(traceId);
        return true;
      }),
      { numRuns: 500 },
    );
  });

  it('continues the trace from the parsed words, and the span records them', () => {
    const { tracer, ended } = setup();
    tracer.startSpan('s', {}, trace.setSpanContext(ROOT_CONTEXT, parseTraceParent(`00-${T}-${P}-01`)!)).end();
    const span = ended[0] as Span;
    expect(words(span.trace)).toEqual(words(TraceId.fromHex(T, 0)));
    expect([span.traceId, span.parentSpanId, span.parentIsRemote]).toEqual([T, P, true]);
  });

  it('takes the generic, checked path once a parsed id field was changed', () => {
    const other = 'abcdef0123456789abcdef0123456789';
    const changed = parseTraceParent(`00-${T}-${P}-01`)!;
    changed.traceId = other;
    expect((changed as RemoteSpanContext).parsedTrace()).toBeUndefined();
    expect(isValidSpanContext(changed)).toBe(true);
    const broken = parseTraceParent(`00-${T}-${P}-01`)!;
    broken.spanId = 'not-hex';
    expect(isValidSpanContext(broken)).toBe(false);

    const { tracer, ended } = setup();
    tracer.startSpan('changed', {}, trace.setSpanContext(ROOT_CONTEXT, changed)).end();
    tracer.startSpan('broken', {}, trace.setSpanContext(ROOT_CONTEXT, broken)).end();
    const [c, b] = ended as Span[];
    expect(c!.traceId).toBe(other);
    expect(words(c!.trace)).toEqual(words(TraceId.fromHex(other, 0)));
    expect(b!.parentSpanId).toBeUndefined();
    expect(b!.traceId).not.toBe(T);
  });
});
