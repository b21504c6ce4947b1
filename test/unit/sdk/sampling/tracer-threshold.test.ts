import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../../src/config';
import type { SpanRecord } from '../../../../src/export/span-record';
import { W3CTraceState } from '../../../../src/propagation/trace-state';
import { createAgentSampler } from '../../../../src/sdk/sampler';
import { parseSamplingRules } from '../../../../src/sdk/sampling/rules';
import { Tracer } from '../../../../src/sdk/tracer';

function tracerWith(rules: string, name = 'parentbased_always_on' as const) {
  const ended: SpanRecord[] = [];
  const { sample } = createAgentSampler({ name, arg: 1, rules: parseSamplingRules(rules).rules }, 'svc');
  const tracer = new Tracer(
    { name: 't' },
    {
      sample,
      thresholdState: (th) => new W3CTraceState(new Map([['ot', `th:${th}`]])),
      limits: readConfig({}).limits,
      sink: { onEnd: (s) => ended.push(s) },
    },
  );
  return { tracer, ended };
}

describe('the tracer with rules', () => {
  it('hands the start attributes to the rules; a sampled root records ot=th and its children inherit it', () => {
    const { tracer, ended } = tracerWith('[{"path":"/health","sample":0},{"path":"/checkout","sample":1}]');
    const health = tracer.startSpanOwning('GET', SpanKind.SERVER, { 'url.path': '/health' }, ROOT_CONTEXT);
    expect(health.isRecording()).toBe(false);
    expect(health.spanContext().traceFlags & 1).toBe(0);
    const root = tracer.startSpanOwning('GET', SpanKind.SERVER, { 'url.path': '/checkout' }, ROOT_CONTEXT);
    expect(root.spanContext().traceState?.serialize()).toBe('ot=th:0');
    const child = tracer.startSpan('db', { attributes: { 'url.path': '/health' } }, trace.setSpan(ROOT_CONTEXT, root));
    expect(child.isRecording()).toBe(true); // a child follows its parent, whatever its attributes
    expect(child.spanContext().traceState?.serialize()).toBe('ot=th:0');
    // A root no rule matches goes to OTEL_TRACES_SAMPLER (always_on here): sampled, no threshold.
    const other = tracer.startSpan('other', { attributes: { 'url.path': '/x' } }, ROOT_CONTEXT);
    expect(other.isRecording()).toBe(true);
    expect(other.spanContext().traceState).toBeUndefined();
    child.end();
    root.end();
    other.end();
    health.end();
    expect(ended.map((s) => s.name)).toEqual(['db', 'GET', 'other']);
  });
});
