import { describe, it, expect, beforeEach } from 'vitest';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { setLogLevel, setLogSink } from '../../../src/diag';
import { InstrumentationKit } from '../../../src/instrument/kit';
import { errorType, recordError, runSpan, startSpan } from '../../../src/instrument/run-span';
import { ATTR_ERROR_TYPE, ATTR_HTTP_ROUTE } from '../../../src/instrument/semconv';
import { attachServerSpan, getServerSpan, recordServerError, setServerRoute, type ServerSpanHolder } from '../../../src/instrument/server-span';
import { startSdk } from '../../instrumentations/setup';

const agent = startSdk();
const lines: string[] = [];
setLogSink((l) => lines.push(l));
setLogLevel('info');

beforeEach(() => {
  agent.reset();
  lines.length = 0;
});

describe('kit.safe', () => {
  it('returns the recipe result', () => {
    const kit = new InstrumentationKit('a');
    expect(kit.safe((x: number) => x * 2, 21)).toBe(42);
    expect(kit.safe2((x: number, y: number) => x + y, 1, 2)).toBe(3);
    expect(kit.active).toBe(true);
  });

  it('a throwing recipe disables only its own instrumentation, with one line', () => {
    const broken = new InstrumentationKit('broken');
    const healthy = new InstrumentationKit('healthy');
    const boom = function nameOf(_x: unknown): string {
      throw new Error('bad recipe');
    };
    expect(broken.safe(boom, 1)).toBeUndefined();
    expect(broken.safe(boom, 2)).toBeUndefined();
    expect(broken.active).toBe(false);
    expect(healthy.active).toBe(true);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('broken');
    expect(lines[0]).toContain('nameOf');
    expect(lines[0]).toContain('bad recipe');
  });

  it('hands out the SDK tracer under the waymark/<name> scope', () => {
    const kit = new InstrumentationKit('thing', '1.2.3');
    kit.tracer.startSpan('x').end();
    const [span] = agent.finishedSpans();
    expect(span!.scope.name).toBe('waymark/thing');
    expect(span!.scope.version).toBe('1.2.3');
  });
});

describe('runSpan', () => {
  const kit = new InstrumentationKit('run');

  it('makes the span active inside fn and ends it on return', () => {
    let inside: string | undefined;
    const out = runSpan(kit, { name: 'op', kind: SpanKind.CLIENT, attributes: { a: 1 } }, (span) => {
      inside = trace.getSpan(context.active())?.spanContext().spanId;
      expect(inside).toBe(span.spanContext().spanId);
      return 'result';
    });
    expect(out).toBe('result');
    const [span] = agent.finishedSpans();
    expect(span!.name).toBe('op');
    expect(span!.kind).toBe(SpanKind.CLIENT);
    expect(span!.spanId).toBe(inside);
    expect(span!.attributes.a).toBe(1);
    expect(trace.getSpan(context.active())).toBeUndefined();
  });

  it('records a synchronous throw and rethrows the same error', () => {
    const err = Object.assign(new Error('bad'), { code: 'EBAD' });
    let caught: unknown;
    try {
      runSpan(kit, { name: 'op' }, () => {
        throw err;
      });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBe(err);
    const [span] = agent.finishedSpans();
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.attributes[ATTR_ERROR_TYPE]).toBe('EBAD');
    expect(span!.events.map((e) => e.name)).toContain('exception');
  });

  it('returns the original promise, ends on settle, calls onEnd', async () => {
    const p = Promise.resolve(7);
    const out = runSpan(kit, { name: 'async', onEnd: (s, v) => s.setAttribute('value', v) }, () => p);
    expect(out).toBe(p);
    expect(agent.finishedSpans()).toHaveLength(0);
    await out;
    await Promise.resolve();
    const [span] = agent.finishedSpans();
    expect(span!.attributes.value).toBe(7);
    expect(span!.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('records a rejection without creating an unhandled one', async () => {
    const err = new TypeError('rejected');
    const p = Promise.reject(err);
    const out = runSpan(kit, { name: 'rej' }, () => p);
    await expect(out).rejects.toBe(err);
    const [span] = agent.finishedSpans();
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.attributes[ATTR_ERROR_TYPE]).toBe('TypeError');
  });

  it('startSpan parents on the active context', () => {
    const parent = startSpan(kit, { name: 'parent' });
    context.with(trace.setSpan(context.active(), parent), () => startSpan(kit, { name: 'child' }).end());
    parent.end();
    const [child, p] = agent.finishedSpans();
    expect(child!.parentSpanId).toBe(p!.spanId);
  });
});

describe('errorType', () => {
  it('prefers a string code, then the class name', () => {
    expect(errorType(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe('ECONNREFUSED');
    expect(errorType(new RangeError('x'))).toBe('RangeError');
    expect(errorType(new Error('x'))).toBe('Error');
    expect(errorType('just a string')).toBe('_OTHER');
    expect(errorType(undefined)).toBe('_OTHER');
  });

  it('recordError accepts anything thrown', () => {
    const span = startSpan(kit(), { name: 'x' });
    recordError(span, { weird: true });
    recordError(span, null);
    span.end();
    expect(agent.finishedSpans()[0]!.status.code).toBe(SpanStatusCode.ERROR);
  });
});

function kit(): InstrumentationKit {
  return new InstrumentationKit('t');
}

describe('server span of a request (for frameworks)', () => {
  it('sets http.route and renames METHOD /route; records errors', () => {
    const span = startSpan(kit(), { name: 'GET', kind: SpanKind.SERVER });
    const holder: ServerSpanHolder = { span, nameMethod: 'GET', route: undefined, errorRecorded: false };
    const req = {};
    expect(getServerSpan(req)).toBeUndefined();
    expect(setServerRoute(req, '/x')).toBe(false);
    attachServerSpan(req, holder);
    expect(getServerSpan(req)).toBe(span);
    setServerRoute(req, '/users');
    expect(setServerRoute(req, '/users/:id')).toBe(true);
    expect(recordServerError(req, new SyntaxError('bad json'))).toBe(true);
    expect(holder.errorRecorded).toBe(true);
    span.end();
    const [rec] = agent.finishedSpans();
    expect(rec!.name).toBe('GET /users/:id');
    expect(rec!.attributes[ATTR_HTTP_ROUTE]).toBe('/users/:id');
    expect(rec!.attributes[ATTR_ERROR_TYPE]).toBe('SyntaxError');
  });
});
