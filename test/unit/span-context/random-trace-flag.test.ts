import { ROOT_CONTEXT, trace, type Context, type SpanContext } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/config';
import { createB3SinglePropagator } from '../../../src/propagation/b3';
import { JaegerPropagator } from '../../../src/propagation/jaeger';
import { W3CTraceContextPropagator } from '../../../src/propagation/trace-context';
import { RANDOM_TRACE_FLAG, type TraceId } from '../../../src/span-context/ids';
import { createSampler, type SampleDecision } from '../../../src/sdk/sampler';
import { Tracer } from '../../../src/sdk/tracer';
import type { SamplerName } from '../../../src/config';
import { extract, inject } from '../propagation/helpers';

/*
 * W3C Trace Context Level 2, "Random Trace ID Flag" (the second least significant bit):
 * - starting a trace: "When at least the right-most 7 bytes of the trace-id are randomly
 *   (or pseudo-randomly) generated, the random-trace-id flag SHOULD be set to 1";
 * - continuing one: "If the flag is set in the incoming traceparent header, it MUST also be
 *   set in all outgoing traceparent headers which use the same trace-id", and "If the flag
 *   is unset in the incoming traceparent header, it MUST also be unset";
 * - "Other Flags": "Vendors MUST set those to zero".
 */

const T = '12345678901234567890123456789012';
const P = '1234567890123456';
const w3c = new W3CTraceContextPropagator();

function tracer(sampler: SamplerName = 'parentbased_always_on', seen?: TraceId[]): Tracer {
  const config = readConfig({});
  const decide = createSampler(sampler, 0.5);
  const sample: SampleDecision = (parent, traceId) => {
    seen?.push(traceId);
    return decide(parent, traceId);
  };
  return new Tracer({ name: 'test' }, { sample, limits: config.limits, sink: { onEnd: () => {} } });
}

/** The traceparent a child span of `parent` sends on. */
function outgoing(parent: Context, sampler?: SamplerName): string | undefined {
  const span = tracer(sampler).startSpan('child', {}, parent);
  return inject(w3c, trace.setSpan(ROOT_CONTEXT, span)).traceparent;
}

const incoming = (flags: string) => extract(w3c, { traceparent: `00-${T}-${P}-${flags}` });
const flagsOf = (traceparent: string | undefined) => traceparent?.slice(53);

describe('random trace flag', () => {
  it('is set on every trace started here, sampled or not', () => {
    for (let i = 0; i < 100; i++) expect(flagsOf(outgoing(ROOT_CONTEXT))).toBe('03');
    expect(flagsOf(outgoing(ROOT_CONTEXT, 'always_off'))).toBe('02');
  });

  it('is kept when continuing a trace that has it, whether it is sampled or not', () => {
    expect(outgoing(incoming('02'))).toMatch(new RegExp(`^00-${T}-(?!${P})[0-9a-f]{16}-02$`));
    expect(flagsOf(outgoing(incoming('03')))).toBe('03');
  });

  it('is never set on a trace we did not start that lacked it', () => {
    expect(flagsOf(outgoing(incoming('00')))).toBe('00');
    expect(flagsOf(outgoing(incoming('01')))).toBe('01');
  });

  it('survives local children: a grandchild carries the flag of its trace', () => {
    const t = tracer();
    const child = t.startSpan('child', {}, incoming('02'));
    const grandchild = t.startSpan('grandchild', {}, trace.setSpan(ROOT_CONTEXT, child));
    expect(grandchild.spanContext().traceFlags).toBe(0x02);
  });

  it('other flag bits from the caller are not sent on (reserved: set to zero)', () => {
    expect(flagsOf(outgoing(incoming('ff')))).toBe('03');
    expect(flagsOf(outgoing(incoming('fd')))).toBe('01');
    expect(flagsOf(outgoing(incoming('fc')))).toBe('00');
  });

  it('follows a parent span context built by hand (the generic path)', () => {
    const byHand = (traceFlags: number): Context =>
      trace.setSpanContext(ROOT_CONTEXT, { traceId: T, spanId: P, traceFlags, isRemote: true } satisfies SpanContext);
    expect(flagsOf(outgoing(byHand(0x03)))).toBe('03');
    expect(flagsOf(outgoing(byHand(0x01)))).toBe('01');
  });

  it('follows the flags of a parsed span context whose random bit was changed after parsing', () => {
    const ctx = incoming('03');
    trace.getSpanContext(ctx)!.traceFlags = 0x01;
    expect(flagsOf(outgoing(ctx))).toBe('01');
  });

  it('is not invented for B3 or Jaeger parents, whose formats have no such flag', () => {
    const b3 = extract(createB3SinglePropagator(), { b3: `${T}-${P}-1` });
    expect(flagsOf(outgoing(b3))).toBe('01');
    // Jaeger's flag bit 0x02 means "debug", not "random".
    const jaeger = extract(new JaegerPropagator(), { 'uber-trace-id': `${T}:${P}:0:3` });
    expect(flagsOf(outgoing(jaeger))).toBe('01');
  });

  it('reaches the sampler with the trace id', () => {
    const seen: TraceId[] = [];
    const t = tracer('always_on', seen);
    t.startSpan('root', {}, ROOT_CONTEXT);
    t.startSpan('random parent', {}, incoming('02'));
    t.startSpan('plain parent', {}, incoming('01'));
    expect(seen.map((id) => id.randomFlag)).toEqual([RANDOM_TRACE_FLAG, RANDOM_TRACE_FLAG, 0]);
  });
});
