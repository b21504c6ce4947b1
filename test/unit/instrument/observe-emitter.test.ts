import { describe, it, expect, beforeEach } from 'vitest';
import { EventEmitter } from 'node:events';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InstrumentationKit, isWrapped, observeEmitter, startCall } from '../../../src/instrument';
import { startSdk } from '../../helpers/tracing';

const agent = startSdk();
const kit = new InstrumentationKit('observe-emitter');
const tracer = trace.getTracer('test');

beforeEach(() => agent.reset());

const call = () => startCall(kit, { name: 'query', kind: SpanKind.CLIENT }, context.active());

describe('observeEmitter', () => {
  it("ends the span at 'end'; every event reaches its listeners in the caller's context, with its arguments", () => {
    const emitter = new EventEmitter();
    const seen: unknown[] = [];
    let callerId: string | undefined;
    tracer.startActiveSpan('caller', (caller) => {
      callerId = caller.spanContext().spanId;
      observeEmitter(kit, { emitter, call: call() });
      caller.end();
    });
    emitter.on('result', (row: unknown) => seen.push(['result', row, trace.getActiveSpan()?.spanContext().spanId]));
    emitter.on('end', () => seen.push(['end', trace.getActiveSpan()?.spanContext().spanId]));
    expect(isWrapped(emitter.emit)).toBe(true);
    expect(emitter.emit('result', { id: 1 })).toBe(true);
    expect(agent.finishedSpans().map((s) => s.name)).toEqual(['caller']);
    emitter.emit('end');
    expect(seen).toEqual([
      ['result', { id: 1 }, callerId],
      ['end', callerId],
    ]);
    const query = agent.finishedSpans().find((s) => s.name === 'query')!;
    expect(query.status.code).toBe(SpanStatusCode.UNSET);
    expect(query.parentSpanId).toBe(callerId);
  });

  it("'error' records the error, then 'end' changes nothing; an unheard 'error' still throws the same error", () => {
    const emitter = new EventEmitter();
    observeEmitter(kit, { emitter, call: call() });
    const err = Object.assign(new Error('bad query'), { code: 'ER_BAD' });
    expect(() => emitter.emit('error', err)).toThrow(err);
    emitter.emit('end');
    const [span, ...rest] = agent.finishedSpans();
    expect(rest).toHaveLength(0);
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.attributes['error.type']).toBe('ER_BAD');
  });

  it('an object that cannot be observed (none, frozen) ends the span at once', () => {
    observeEmitter(kit, { emitter: undefined, call: call() });
    observeEmitter(kit, { emitter: Object.freeze(new EventEmitter()), call: call() });
    expect(agent.finishedSpans()).toHaveLength(2);
  });
});
