import { describe, it, expect, beforeEach } from 'vitest';
import { INVALID_SPAN_CONTEXT, ROOT_CONTEXT, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { setLogLevel, setLogSink } from '../../../src/diag';
import { InstrumentationKit } from '../../../src/instrument/kit';
import { errorType, recordError, startSpan } from '../../../src/instrument';
import { ATTR_ERROR_TYPE, ATTR_HTTP_ROUTE } from '../../../src/instrument/semconv';
import { attachServerSpan, getServerSpan, recordServerError, setServerRoute, type ServerSpanHolder } from '../../../src/instrument/server-span';
import { startSdk } from '../../helpers/tracing';

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

  it('a span start that throws disables only its instrumentation and returns a span that records nothing', () => {
    const broken = new InstrumentationKit('starts-broken');
    const healthy = new InstrumentationKit('starts-fine');
    const tracer = broken.tracer as unknown as Record<string, unknown>;
    const fault = (): never => {
      throw new Error('tracer broke');
    };
    tracer.startSpanOwning = fault;
    tracer.startSpan = fault;
    try {
      const span = broken.startSpan('op', SpanKind.CLIENT, { a: 1 }, ROOT_CONTEXT);
      expect(span.isRecording()).toBe(false);
      expect(span.spanContext().traceId).toBe(INVALID_SPAN_CONTEXT.traceId);
      span.setAttribute('b', 2).end();
      expect(broken.startSpan('op', SpanKind.CLIENT, undefined, ROOT_CONTEXT).isRecording()).toBe(false);
    } finally {
      delete tracer.startSpanOwning;
      delete tracer.startSpan;
    }
    expect(broken.active).toBe(false);
    expect(healthy.active).toBe(true);
    expect(lines).toEqual([expect.stringMatching(/instrumentation starts-broken disabled: span start threw: .*tracer broke/)]);
    healthy.startSpan('fine', SpanKind.INTERNAL, undefined, ROOT_CONTEXT).end();
    expect(agent.finishedSpans().map((s) => s.name)).toEqual(['fine']);
  });

  it('hands out the SDK tracer under the waymark/<name> scope', () => {
    const kit = new InstrumentationKit('thing', '1.2.3');
    kit.tracer.startSpan('x').end();
    const [span] = agent.finishedSpans();
    expect(span!.scope.name).toBe('waymark/thing');
    expect(span!.scope.version).toBe('1.2.3');
  });

  it("hands a channel subscriber its entry's declared ranges, by module", () => {
    const channelTargets = [
      { module: 'lib', versions: '>=1.0.0 <2' },
      { module: 'lib', versions: '>=4.0.0 <5' },
    ];
    const kit = new InstrumentationKit('thing', undefined, undefined, channelTargets);
    expect(kit.channelRange('lib')).toBe('>=1.0.0 <2 || >=4.0.0 <5');
    expect(kit.channelRange('other')).toBeUndefined();
    expect(new InstrumentationKit('none').channelRange('lib')).toBeUndefined();
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
