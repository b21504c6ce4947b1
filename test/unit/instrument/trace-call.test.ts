import { describe, it, expect, beforeEach } from 'vitest';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  ATTR_DB_RESPONSE_STATUS_CODE,
  ATTR_ERROR_TYPE,
  InstrumentationKit,
  ownerOf,
  startCall,
  startSpan,
  traceCall,
  type AnyFunction,
  type CallOutcome,
} from '../../../src/instrument';
import { startSdk } from '../../helpers/tracing';

const agent = startSdk();
const kit = new InstrumentationKit('trace-call');

beforeEach(() => agent.reset());

/** The id of the span active where it is called. */
function activeSpanId(): string | undefined {
  return trace.getSpan(context.active())?.spanContext().spanId;
}

function call(name = 'op', outcome?: CallOutcome) {
  return startCall(kit, { name, kind: SpanKind.CLIENT, attributes: { a: 1 } }, context.active(), outcome);
}

describe('traceCall', () => {
  it('runs the call with its span active, with this and arguments, and ends at a plain return', () => {
    const self = {};
    let seen: unknown[] = [];
    const original = function (this: unknown, x: number, y: number) {
      seen = [this, x, y, activeSpanId()];
      return 'result';
    };
    const c = call();
    expect(traceCall(c, original, self, [1, 2])).toBe('result');
    const [span] = agent.finishedSpans();
    expect(seen).toEqual([self, 1, 2, span!.spanId]);
    expect(span!.kind).toBe(SpanKind.CLIENT);
    expect(span!.attributes.a).toBe(1);
    expect(activeSpanId()).toBeUndefined();
  });

  it('records a synchronous throw and rethrows the same error', () => {
    const err = Object.assign(new Error('bad'), { code: 'EBAD' });
    const original = () => {
      throw err;
    };
    expect(() => traceCall(call(), original, undefined, [])).toThrow(err);
    const [span] = agent.finishedSpans();
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.attributes[ATTR_ERROR_TYPE]).toBe('EBAD');
    expect(span!.events.map((e) => e.name)).toContain('exception');
  });

  it('returns the original promise and ends when it settles; an error in the result is recorded', async () => {
    const failed = new Error('one command failed');
    const p = Promise.resolve([[null, 1], [failed]]);
    const outcome: CallOutcome = { errorInResult: (r) => (r as unknown[][])[1]![0] };
    const out = traceCall(call('batch', outcome), () => p, undefined, []);
    expect(out).toBe(p);
    expect(agent.finishedSpans()).toHaveLength(0);
    await out;
    await Promise.resolve();
    const [span] = agent.finishedSpans();
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.events[0]!.attributes!['exception.message']).toBe('one command failed');
  });

  it('records a rejection, with the outcome’s attributes, without creating an unhandled one', async () => {
    const err = new TypeError('rejected');
    const p = Promise.reject(err);
    const outcome: CallOutcome = { errorAttributes: () => ({ [ATTR_DB_RESPONSE_STATUS_CODE]: '42P01' }) };
    await expect(traceCall(call('rej', outcome), () => p, undefined, [])).rejects.toBe(err);
    const [span] = agent.finishedSpans();
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.attributes[ATTR_ERROR_TYPE]).toBe('TypeError');
    expect(span!.attributes[ATTR_DB_RESPONSE_STATUS_CODE]).toBe('42P01');
  });

  it('observes a thenable that is not a promise', () => {
    let resolve: (v: unknown) => void = () => {};
    const thenable = { then: (ok: (v: unknown) => void) => (resolve = ok) };
    expect(traceCall(call(), () => thenable, undefined, [])).toBe(thenable);
    expect(agent.finishedSpans()).toHaveLength(0);
    resolve('done');
    expect(agent.finishedSpans()).toHaveLength(1);
  });

  it('callback form: ends once with the first argument, runs the callback in the caller’s context', async () => {
    const outer = startSpan(kit, { name: 'outer' });
    const calls: Array<[unknown[], string | undefined]> = [];
    const cb = function (...args: unknown[]) {
      calls.push([args, activeSpanId()]);
      return 'cb-result';
    };
    let driverCallback: AnyFunction | undefined;
    const original = (_sql: string, done: AnyFunction) => {
      driverCallback = done;
      return 'handle';
    };
    const c = context.with(trace.setSpan(context.active(), outer), () => call('query'));
    const args: unknown[] = ['SELECT 1', cb];
    expect(traceCall(c, original, undefined, args, 1)).toBe('handle');
    expect(driverCallback).not.toBe(cb);
    expect(driverCallback!.length).toBe(1);
    // The driver calls back from wherever its socket's context is.
    expect(driverCallback!(new Error('boom'), 'x')).toBe('cb-result');
    driverCallback!(null, 'again');
    outer.end();
    const [span] = agent.finishedSpans();
    expect(span!.name).toBe('query');
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(calls.map(([a, id]) => [a.length, id])).toEqual([
      [2, outer.spanContext().spanId],
      [2, outer.spanContext().spanId],
    ]);
    expect(agent.finishedSpans().filter((s) => s.name === 'query')).toHaveLength(1);
  });
});

describe('ownerOf', () => {
  class Base {
    query(): void {}
  }
  class Connection extends Base {
    connect(): void {}
  }

  it('finds the prototype that defines a method, up the class chain', () => {
    expect(ownerOf(Connection, 'connect')).toBe(Connection.prototype);
    expect(ownerOf(Connection, 'query')).toBe(Base.prototype);
    expect(ownerOf(Connection, 'toString')).toBeUndefined();
    expect(ownerOf({}, 'query')).toBeUndefined();
    expect(ownerOf(undefined, 'query')).toBeUndefined();
  });

  it('accepts a prototype that is a function (router@2: routers are callable)', () => {
    function Router(): void {}
    const proto = function (): void {};
    (proto as unknown as { handle: AnyFunction }).handle = () => undefined;
    Router.prototype = proto as unknown as object;
    expect(ownerOf(Router, 'handle')).toBe(proto);
  });
});
