import { trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { LineSink, splitTraceFields, startLogTracing, TESTED } from '../../helpers/log-tracing';

const { load } = startLogTracing('bunyan');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Bunyan = any;
type Scenario = (bunyan: Bunyan, sink: LineSink) => void;

/**
 * Runs `scenario` outside any span (as without the agent: the correlation test compares
 * that) and inside one; inside, each record must be the same plus the span's fields.
 */
function expectSamePlusTrace(bunyan: Bunyan, scenario: Scenario, count: number): void {
  const outside = new LineSink();
  const inside = new LineSink();
  scenario(bunyan, outside);
  const ids = trace.getTracer('test').startActiveSpan('work', (span) => {
    scenario(bunyan, inside);
    span.end();
    return { trace_id: span.spanContext().traceId, span_id: span.spanContext().spanId, trace_flags: span.spanContext().traceFlags.toString(16).padStart(2, '0') };
  });
  const strip = ({ time: _t, ...rest }: Record<string, unknown>) => rest;
  const before = outside.records().map(strip);
  const after = inside.records().map(strip);
  expect(after).toHaveLength(count);
  expect(before).toHaveLength(count);
  after.forEach((record, i) => {
    const { fields, rest } = splitTraceFields(record);
    expect(fields).toEqual(ids);
    expect(rest).toEqual(before[i]);
  });
}

describe.each(TESTED.bunyan)('$id (bunyan $major): the logger works as before, plus the trace fields', ({ id }) => {
  const bunyan = load(id);

  it("levels: below the stream's level dropped, a level changed at run time", () => {
    expectSamePlusTrace(
      bunyan,
      (b, sink) => {
        const logger = b.createLogger({ name: 'app', streams: [{ stream: sink, level: 'warn' }] });
        logger.info('dropped');
        logger.warn('kept');
        logger.fatal('fatal');
        logger.debug('dropped');
        logger.level('info');
        logger.info('kept: level() sets every stream');
        logger.debug('dropped');
      },
      3,
    );
  });

  it('child loggers keep their fields, simple children too', () => {
    expectSamePlusTrace(
      bunyan,
      (b, sink) => {
        const logger = b.createLogger({ name: 'app', stream: sink });
        const child = logger.child({ part: 'db' });
        child.info({ rows: 2 }, 'child');
        child.child({ table: 'users' }, true).warn('simple grandchild');
      },
      2,
    );
  });

  it('serializers, errors and format arguments apply as before', () => {
    expectSamePlusTrace(
      bunyan,
      (b, sink) => {
        const logger = b.createLogger({ name: 'app', stream: sink, serializers: { ...b.stdSerializers, user: (u: { id: number }) => ({ id: u.id }) } });
        logger.info({ user: { id: 7, password: 'x' } }, 'serialized');
        const err = new Error('boom');
        err.stack = 'Error: boom\n    at fixed';
        logger.error(err);
        logger.info('format %s %d', 'str', 42);
      },
      3,
    );
  });

  it("a record's own trace_id wins", () => {
    const sink = new LineSink();
    const logger = bunyan.createLogger({ name: 'app', stream: sink });
    trace.getTracer('test').startActiveSpan('work', (span) => {
      logger.info({ trace_id: 'the app decides' }, 'mine');
      span.end();
    });
    const [record] = sink.records();
    expect(record).toMatchObject({ trace_id: 'the app decides', msg: 'mine' });
    expect(record).not.toHaveProperty('span_id');
  });
});
