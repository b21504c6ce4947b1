import { trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { LineSink, splitTraceFields, startLogTracing, TESTED } from '../../helpers/log-tracing';

const { load } = startLogTracing('winston');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Winston = any;
type Scenario = (winston: Winston, sink: LineSink) => void;

async function settle(sink: LineSink, n: number): Promise<string[]> {
  for (let i = 0; i < 200 && sink.lines().length < n; i++) await new Promise((r) => setTimeout(r, 5));
  return sink.lines();
}

/**
 * Runs `scenario` outside any span (where winston works as without the agent: the
 * correlation test compares that byte for byte) and inside one; inside, each record must be
 * the same plus the span's fields, or (`text`) its line must end with them.
 */
async function expectSamePlusTrace(winston: Winston, scenario: Scenario, count: number, text = false): Promise<void> {
  const outside = new LineSink();
  const inside = new LineSink();
  scenario(winston, outside);
  const ids = trace.getTracer('test').startActiveSpan('work', (span) => {
    scenario(winston, inside);
    span.end();
    return { trace_id: span.spanContext().traceId, span_id: span.spanContext().spanId, trace_flags: span.spanContext().traceFlags.toString(16).padStart(2, '0') };
  });
  const before = await settle(outside, count);
  const after = await settle(inside, count);
  expect(after).toHaveLength(count);
  expect(before).toHaveLength(count);
  after.forEach((line, i) => {
    if (text) {
      expect(line).toBe(`${before[i]} ${ids.trace_id} ${ids.span_id}`);
      return;
    }
    const { fields, rest } = splitTraceFields(JSON.parse(line) as Record<string, unknown>);
    expect(fields).toEqual(ids);
    expect(rest).toEqual(JSON.parse(before[i]!));
  });
}

const streamTo = (winston: Winston, sink: LineSink) => [new winston.transports.Stream({ stream: sink })];

describe.each(TESTED.winston)('$id (winston $major): the logger works as before, plus the trace fields', ({ id }) => {
  const winston = load(id);
  const { format } = winston;

  it('levels: below the level dropped, syslog levels, a level changed at run time', async () => {
    await expectSamePlusTrace(
      winston,
      (w, sink) => {
        const logger = w.createLogger({ level: 'warning', levels: w.config.syslog.levels, format: format.json(), transports: streamTo(w, sink) });
        logger.info('dropped');
        logger.warning('kept');
        logger.crit('critical');
        logger.level = 'info';
        logger.info('kept after the level changed');
      },
      3,
    );
  });

  it('child loggers and defaultMeta keep their metadata', async () => {
    await expectSamePlusTrace(
      winston,
      (w, sink) => {
        const logger = w.createLogger({ defaultMeta: { service: 'api' }, format: format.json(), transports: streamTo(w, sink) });
        const child = logger.child({ part: 'db' });
        child.info('child', { rows: 2 });
        child.child({ table: 'users' }).warn('grandchild');
      },
      2,
    );
  });

  it('format pipelines (errors with stack, splat, label, json) apply as before', async () => {
    await expectSamePlusTrace(
      winston,
      (w, sink) => {
        const logger = w.createLogger({
          format: format.combine(format.errors({ stack: true }), format.splat(), format.label({ label: 'L' }), format.json()),
          transports: streamTo(w, sink),
        });
        const err = new Error('boom');
        err.stack = 'Error: boom\n    at fixed';
        logger.error(err);
        logger.info('format %s %d', 'str', 42);
        logger.log({ level: 'info', message: 'an info object' });
      },
      3,
    );
  });

  it('a printf format prints what it printed, and can print the ids (they are in info)', async () => {
    await expectSamePlusTrace(
      winston,
      (w, sink) => {
        const logger = w.createLogger({
          format: format.printf((info: Record<string, unknown>) =>
            info.trace_id === undefined ? `${info.level} ${info.message}` : `${info.level} ${info.message} ${info.trace_id} ${info.span_id}`,
          ),
          transports: streamTo(w, sink),
        });
        logger.info('text');
        logger.error('more text');
      },
      2,
      true,
    );
  });

  it("a record's own trace_id wins", async () => {
    const sink = new LineSink();
    const logger = winston.createLogger({ format: format.json(), transports: streamTo(winston, sink) });
    trace.getTracer('test').startActiveSpan('work', (span) => {
      logger.info('mine', { trace_id: 'the app decides' });
      span.end();
    });
    const [line] = await settle(sink, 1);
    expect(JSON.parse(line!)).toEqual({ level: 'info', message: 'mine', trace_id: 'the app decides' });
  });
});
