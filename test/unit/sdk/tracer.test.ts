import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type SpanContext } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/config';
import { epochNanos } from '../../../src/clock';
import type { SpanRecord } from '../../../src/export/span-record';
import { createSampler } from '../../../src/sdk/sampler';
import { Span } from '../../../src/sdk/span';
import { Tracer } from '../../../src/sdk/tracer';
import { suppressTracing } from '../../../src/suppress';

function setup(env: Record<string, string> = {}) {
  const ended: SpanRecord[] = [];
  const config = readConfig(env);
  const tracer = new Tracer(
    { name: 'test-scope', version: '1.2.3' },
    { sample: createSampler(config.sampler.name, config.sampler.arg), limits: config.limits, sink: { onEnd: (s) => ended.push(s) } },
  );
  return { tracer, ended };
}

const remoteParent = (flags: number): SpanContext => ({
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  traceFlags: flags,
  isRemote: true,
});

describe('Tracer and Span', () => {
  it('makes a root span with fresh ids, then a child in the same trace', () => {
    const { tracer, ended } = setup();
    const root = tracer.startSpan('root', { kind: SpanKind.SERVER }, ROOT_CONTEXT);
    const child = tracer.startSpan('child', {}, trace.setSpan(ROOT_CONTEXT, root));
    child.end();
    root.end();
    const [c, r] = ended;
    expect(r!.parentSpanId).toBeUndefined();
    expect(r!.kind).toBe(SpanKind.SERVER);
    expect(c!.traceId).toBe(r!.traceId);
    expect(c!.parentSpanId).toBe(r!.spanId);
    expect(c!.parentIsRemote).toBe(false);
    expect(c!.scope).toEqual({ name: 'test-scope', version: '1.2.3', schemaUrl: undefined });
    expect(r!.endTime).toBeGreaterThanOrEqual(r!.startTime);
  });

  it('continues a remote parent, keeping its tracestate', () => {
    const { tracer, ended } = setup();
    const ts = { get: () => undefined, set() { return this; }, unset() { return this; }, serialize: () => 'vendor=abc' } as never;
    const ctx = trace.setSpanContext(ROOT_CONTEXT, { ...remoteParent(1), traceState: ts });
    tracer.startSpan('s', {}, ctx).end();
    expect(ended[0]!.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(ended[0]!.parentSpanId).toBe('00f067aa0ba902b7');
    expect(ended[0]!.parentIsRemote).toBe(true);
    expect(ended[0]!.traceState).toBe('vendor=abc');
  });

  it('does not record spans of an unsampled parent but keeps propagating ids', () => {
    const { tracer, ended } = setup();
    const span = tracer.startSpan('s', {}, trace.setSpanContext(ROOT_CONTEXT, remoteParent(0)));
    expect(span.isRecording()).toBe(false);
    expect(span).not.toBeInstanceOf(Span);
    expect(span.spanContext().traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(span.spanContext().spanId).not.toBe('00f067aa0ba902b7');
    expect(span.spanContext().traceFlags).toBe(0);
    span.end();
    expect(ended).toHaveLength(0);
  });

  it('ignores an invalid parent and starts a new trace', () => {
    const { tracer, ended } = setup();
    const bad = { traceId: 'XYZ', spanId: '00f067aa0ba902b7', traceFlags: 1 };
    tracer.startSpan('s', {}, trace.setSpanContext(ROOT_CONTEXT, bad)).end();
    expect(ended[0]!.parentSpanId).toBeUndefined();
    expect(ended[0]!.traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('records nothing when tracing is suppressed', () => {
    const { tracer, ended } = setup();
    const span = tracer.startSpan('s', {}, suppressTracing(ROOT_CONTEXT));
    expect(span.isRecording()).toBe(false);
    span.end();
    expect(ended).toHaveLength(0);
  });

  it('applies attribute count and length limits and counts what it dropped', () => {
    const { tracer, ended } = setup({ OTEL_ATTRIBUTE_COUNT_LIMIT: '3', OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '5' });
    const span = tracer.startSpan('s', { attributes: { a: 'abcdefgh', b: ['123456', 'x'] } }, ROOT_CONTEXT);
    span.setAttribute('c', 1);
    span.setAttribute('d', true); // over the count: dropped
    span.setAttribute('a', 'new'); // existing key still updates
    span.setAttribute('bad', { nested: 1 } as never); // invalid value: ignored, not counted
    span.setAttribute('mixed', [1, 'two'] as never);
    span.end();
    expect(ended[0]!.attributes).toEqual({ a: 'new', b: ['12345', 'x'], c: 1 });
    expect(ended[0]!.droppedAttributesCount).toBe(1);
  });

  it('applies validation and limits to the attributes given at start like to later ones', () => {
    const { tracer, ended } = setup({ OTEL_ATTRIBUTE_COUNT_LIMIT: '2' });
    const given = { '': 'empty key', bad: { nested: 1 } as never, a: 1, mixed: [1, 'two'] as never, b: 'x', c: true };
    const span = tracer.startSpan('s', { attributes: given }, ROOT_CONTEXT);
    span.setAttribute('a', 2); // existing key still updates
    span.setAttribute('d', 4); // over the count: dropped
    span.end();
    expect(ended[0]!.attributes).toEqual({ a: 2, b: 'x' });
    expect(ended[0]!.droppedAttributesCount).toBe(2);
    expect(given).toEqual({ '': 'empty key', bad: { nested: 1 }, a: 1, mixed: [1, 'two'], b: 'x', c: true }); // not adopted
  });

  it('keeps attributes handed over by an instrumentation, validated and limited in place', () => {
    const { tracer, ended } = setup({ OTEL_ATTRIBUTE_COUNT_LIMIT: '2', OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '3' });
    const given = { '': 'empty key', bad: { nested: 1 } as never, a: 'abcdef', b: ['12345'], c: true };
    const span = tracer.startSpanOwning('s', SpanKind.SERVER, given, ROOT_CONTEXT);
    span.setAttribute('a', 'xyzzy'); // existing key still updates (and is truncated)
    span.setAttribute('d', 4); // over the count: dropped
    span.end();
    expect(ended[0]!.attributes).toBe(given); // the same object, no copy
    expect(ended[0]!.attributes).toEqual({ a: 'xyz', b: ['123'] });
    expect(ended[0]!.droppedAttributesCount).toBe(2);
    expect(ended[0]!.kind).toBe(SpanKind.SERVER);
  });

  it('gives each span its own attributes: spans started without any never share one', () => {
    const { tracer, ended } = setup();
    const a = tracer.startSpan('a', undefined, ROOT_CONTEXT);
    const b = tracer.startSpan('b', { kind: SpanKind.CLIENT }, ROOT_CONTEXT);
    const c = tracer.startSpanOwning('c', SpanKind.INTERNAL, undefined, ROOT_CONTEXT);
    a.setAttribute('only', 'a');
    c.setAttributes({ only: 'c' });
    for (const s of [a, b, c]) s.end();
    expect(ended.map((s) => s.attributes)).toEqual([{ only: 'a' }, {}, { only: 'c' }]);
  });

  it('records events, links, exceptions and limits them', () => {
    const { tracer, ended } = setup({ OTEL_SPAN_EVENT_COUNT_LIMIT: '2', OTEL_SPAN_LINK_COUNT_LIMIT: '1' });
    const span = tracer.startSpan('s', { links: [{ context: remoteParent(1), attributes: { k: 'v' } }] }, ROOT_CONTEXT);
    span.addLink({ context: remoteParent(0) });
    span.addEvent('first', { n: 1 });
    span.recordException(Object.assign(new TypeError('boom'), { code: 'E_BOOM' }));
    span.addEvent('third');
    span.end();
    const rec = ended[0]!;
    expect(rec.links).toHaveLength(1);
    expect(rec.links[0]).toMatchObject({ traceId: remoteParent(1).traceId, attributes: { k: 'v' } });
    expect(rec.droppedLinksCount).toBe(1);
    expect(rec.events.map((e) => e.name)).toEqual(['first', 'exception']);
    expect(rec.events[1]!.attributes).toMatchObject({ 'exception.type': 'E_BOOM', 'exception.message': 'boom' });
    expect(String(rec.events[1]!.attributes!['exception.stacktrace'])).toContain('TypeError: boom');
    expect(rec.droppedEventsCount).toBe(1);
  });

  it('follows the status rules: OK is final, UNSET never overrides, messages only for ERROR', () => {
    const { tracer, ended } = setup();
    const a = tracer.startSpan('a', {}, ROOT_CONTEXT);
    a.setStatus({ code: SpanStatusCode.ERROR, message: 'bad' });
    a.setStatus({ code: SpanStatusCode.UNSET });
    a.end();
    const b = tracer.startSpan('b', {}, ROOT_CONTEXT);
    b.setStatus({ code: SpanStatusCode.OK, message: 'ignored' });
    b.setStatus({ code: SpanStatusCode.ERROR, message: 'too late' });
    b.end();
    expect(ended[0]!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'bad' });
    expect(ended[1]!.status).toEqual({ code: SpanStatusCode.OK });
  });

  it('ends once: later end() calls and mutations are ignored', () => {
    const { tracer, ended } = setup();
    const span = tracer.startSpan('s', {}, ROOT_CONTEXT);
    span.end();
    const end = (ended[0] as SpanRecord).endTime;
    span.end();
    span.setAttribute('late', 1);
    span.updateName('renamed');
    expect(ended).toHaveLength(1);
    expect(ended[0]!.endTime).toBe(end);
    expect(ended[0]!.attributes).toEqual({});
    expect(ended[0]!.name).toBe('s');
    expect(span.isRecording()).toBe(false);
  });

  it('accepts explicit start and end times as epoch ms, Date and HrTime', () => {
    const { tracer, ended } = setup();
    const start = Date.now() - 1000;
    const span = tracer.startSpan('s', { startTime: start }, ROOT_CONTEXT);
    span.end(new Date(start + 250));
    const rec = ended[0]!;
    const startNs = epochNanos(rec.startTime);
    expect(Number(startNs / 1_000_000n)).toBeGreaterThanOrEqual(start - 1);
    expect(Number(startNs / 1_000_000n)).toBeLessThanOrEqual(start + 1);
    expect(Math.round(rec.endTime - rec.startTime)).toBe(250);
    const h = tracer.startSpan('h', { startTime: [Math.floor(start / 1000), 5e8] }, ROOT_CONTEXT);
    h.end();
    expect(Number(epochNanos(ended[1]!.startTime) / 1_000_000_000n)).toBe(Math.floor(start / 1000));
  });

  it('clamps an end time before the start to a zero duration', () => {
    const { tracer, ended } = setup();
    const span = tracer.startSpan('s', {}, ROOT_CONTEXT);
    span.end(Date.now() - 60_000);
    expect(ended[0]!.endTime).toBe(ended[0]!.startTime);
  });

  it('timestamps are epoch nanoseconds close to Date.now()', () => {
    const { tracer, ended } = setup();
    tracer.startSpan('s', {}, ROOT_CONTEXT).end();
    const ms = Number(epochNanos(ended[0]!.startTime) / 1_000_000n);
    expect(Math.abs(ms - Date.now())).toBeLessThan(1000);
  });

  it('startActiveSpan makes the span active for the callback and returns its value', async () => {
    const { tracer } = setup();
    const { AsyncLocalStorageContextManager } = await import('../../../src/sdk/context-manager');
    const { context } = await import('@opentelemetry/api');
    context.setGlobalContextManager(new AsyncLocalStorageContextManager());
    try {
      const out = tracer.startActiveSpan('outer', (span) => {
        expect(trace.getActiveSpan()).toBe(span);
        span.end();
        return 42;
      });
      expect(out).toBe(42);
      expect(trace.getActiveSpan()).toBeUndefined();
    } finally {
      context.disable();
    }
  });
});
