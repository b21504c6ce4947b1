import { trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { getOriginal } from '../../../src/instrument';
import { LineSink, splitTraceFields, startLogTracing, TESTED } from '../../helpers/log-tracing';

const { load } = startLogTracing('pino');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Pino = any;
type Scenario = (pino: Pino, sink: LineSink) => void;

/**
 * Runs `scenario` inside one span with the hooked pino and with pino as it was, and returns
 * both outputs, record by record, and the span's ids.
 */
function sideBySide(pino: Pino, scenario: Scenario) {
  const ours = new LineSink();
  const theirs = new LineSink();
  let ids = { trace_id: '', span_id: '', trace_flags: '' };
  trace.getTracer('test').startActiveSpan('work', (span) => {
    ids = { trace_id: span.spanContext().traceId, span_id: span.spanContext().spanId, trace_flags: span.spanContext().traceFlags.toString(16).padStart(2, '0') };
    scenario(pino, ours);
    scenario(getOriginal(pino), theirs);
    span.end();
  });
  return { ours: ours.records(), theirs: theirs.records(), ids };
}

/** Every record has the span's fields, and apart from them is what pino wrote without the agent. */
function expectSameRecordsPlusTrace(pino: Pino, scenario: Scenario, count: number): void {
  const { ours, theirs, ids } = sideBySide(pino, scenario);
  expect(ours).toHaveLength(count);
  expect(theirs).toHaveLength(count);
  ours.forEach((record, i) => {
    const { fields, rest } = splitTraceFields(record);
    expect(fields).toEqual(ids);
    expect(rest).toEqual(theirs[i]);
  });
}

const QUIET = { base: null, timestamp: false };

/** pino 5 writes its log format version as `v`. */
function withoutV(record: Record<string, unknown>): Record<string, unknown> {
  const { v: _v, ...rest } = record;
  return rest;
}

describe.each(TESTED.pino)('$id (pino $major): the logger works as before, plus the trace fields', ({ id, major }) => {
  const pino = load(id);

  it('levels: records below the level are still dropped, custom levels still written', () => {
    expectSameRecordsPlusTrace(
      pino,
      (p, sink) => {
        const logger = p({ ...QUIET, level: 'warn', customLevels: { audit: 45 } }, sink);
        logger.info('dropped');
        logger.debug('dropped');
        logger.warn('kept');
        logger.audit({ who: 'me' }, 'custom');
        logger.level = 'info';
        logger.info('kept after the level changed');
      },
      3,
    );
  });

  it('child loggers keep their bindings, and grandchildren theirs', () => {
    expectSameRecordsPlusTrace(
      pino,
      (p, sink) => {
        const child = p(QUIET, sink).child({ part: 'db' });
        child.info('child');
        child.child({ table: 'users' }).error({ rows: 2 }, 'grandchild');
      },
      2,
    );
  });

  it('serializers, errors and redaction apply as before', () => {
    expectSameRecordsPlusTrace(
      pino,
      (p, sink) => {
        const logger = p({ ...QUIET, serializers: { user: (u: { id: number }) => ({ id: u.id }) }, redact: ['secret'] }, sink);
        logger.info({ user: { id: 7, password: 'x' }, secret: 'hide me' }, 'serialized');
        const err = new Error('boom');
        err.stack = 'Error: boom\n    at fixed';
        logger.error(err);
        logger.info({ msg: 'from object' });
        logger.info('format %s %d %j', 'str', 42, { o: 1 });
      },
      4,
    );
  });

  it("the app's mixin still applies; its fields win over the trace fields on a clash", () => {
    const { ours, ids } = sideBySide(pino, (p, sink) => {
      p({ ...QUIET, mixin: () => ({ tenant: 't1' }) }, sink).info('mixed');
      p({ ...QUIET, mixin: () => ({ trace_id: 'the app decides' }) }, sink).info('clash');
    });
    expect(withoutV(ours[0]!)).toEqual({ level: 30, tenant: 't1', ...ids, msg: 'mixed' });
    expect(ours[1]).toMatchObject({ trace_id: 'the app decides', span_id: ids.span_id });
  });

  it("the app's mixin outside a span: what it returns is used as it is, as without the agent", () => {
    const write = (p: Pino) => {
      const sink = new LineSink();
      const shared = { tenant: 't1' };
      p({ ...QUIET, mixin: () => shared }, sink).info('outside');
      return { lines: sink.lines(), shared };
    };
    const ours = write(pino);
    expect(ours).toEqual(write(getOriginal(pino)));
    expect(withoutV(JSON.parse(ours.lines[0]!))).toEqual({ level: 30, tenant: 't1', msg: 'outside' });
  });

  // Options that pino 5 does not have.
  if (major >= 8) {
    it('formatters, messageKey and mixinMergeStrategy apply as before', () => {
    expectSameRecordsPlusTrace(
      pino,
      (p, sink) => {
        p({ ...QUIET, formatters: { level: (label: string) => ({ severity: label.toUpperCase() }) }, messageKey: 'message' }, sink).warn({ a: 1 }, 'formatted');
        p(
          {
            ...QUIET,
            mixin: (obj: Record<string, unknown>, level: number) => ({ level_seen: level, had_a: 'a' in obj }),
            mixinMergeStrategy: (merge: object, mixin: object) => Object.assign({}, merge, mixin),
          },
          sink,
        ).info({ a: 1 }, 'strategy');
      },
      2,
    );
    });

    it('with nestedKey the trace fields are nested with the rest of the object, as pino does with every mixin', () => {
      const { ours, theirs, ids } = sideBySide(pino, (p, sink) => p({ ...QUIET, nestedKey: 'payload' }, sink).info({ a: 1 }, 'nested'));
      expect(theirs).toEqual([{ level: 30, payload: { a: 1 }, msg: 'nested' }]);
      expect(ours).toEqual([{ level: 30, payload: { ...ids, a: 1 }, msg: 'nested' }]);
    });
  }
});
