import { describe, expect, it } from 'vitest';
import { getOriginal } from '../../../src/instrument';
import { expectedFields, expectInterleaved, serveTwoTraces } from '../../helpers/two-traces';
import { LineSink, startLogTracing, TESTED } from '../../helpers/log-tracing';

const { agent, http, load } = startLogTracing('winston');

/** Waits until `sink` has `n` lines: winston's transports write after the call returns. */
async function linesOf(sink: LineSink, n: number): Promise<string[]> {
  for (let i = 0; i < 200 && sink.lines().length < n; i++) await new Promise((r) => setTimeout(r, 5));
  return sink.lines();
}

describe.each(TESTED.winston)('$id (winston $major)', ({ id }) => {
  const winston = load(id);
  const jsonLogger = (sink: LineSink) =>
    winston.createLogger({ format: winston.format.json(), transports: [new winston.transports.Stream({ stream: sink })] });

  it("each record written in a request handler carries that request's trace, with two requests in flight", async () => {
    const sink = new LineSink();
    const logger = jsonLogger(sink);
    const { a, b } = await serveTwoTraces(http, agent, (label, phase) => logger.info('handled', { label, phase }));
    const records = (await linesOf(sink, 4)).map((l) => JSON.parse(l) as Record<string, unknown>);
    expectInterleaved(records.map((r) => `${r.label}:${r.phase}`));
    for (const r of records) expect(r).toMatchObject({ ...expectedFields(r.label === 'a' ? a : b), message: 'handled', level: 'info' });
  });

  it("takes the ids when the call is made, not when the transport writes (another request's context by then)", async () => {
    const sink = new LineSink();
    // A transport that writes late, from a timer: formats and transports run after the call.
    const slow = new LineSink(true);
    const origWrite = slow._write.bind(slow);
    slow._write = (chunk, enc, cb) => void setTimeout(() => origWrite(chunk, enc, cb), 10);
    const logger = winston.createLogger({
      format: winston.format.json(),
      transports: [new winston.transports.Stream({ stream: sink }), new winston.transports.Stream({ stream: slow })],
    });
    const { a, b } = await serveTwoTraces(http, agent, (label, phase) => logger.info('handled', { label, phase }));
    for (const r of (await linesOf(sink, 4)).map((l) => JSON.parse(l) as Record<string, unknown>)) {
      expect(r).toMatchObject(expectedFields(r.label === 'a' ? a : b));
    }
  });

  it("writes trace_flags 00 and the unsampled trace's id when the request came unsampled", async () => {
    const sink = new LineSink();
    const logger = jsonLogger(sink);
    const { a, b } = await serveTwoTraces(http, agent, (label) => logger.info('handled', { label }), '00');
    for (const r of (await linesOf(sink, 4)).map((l) => JSON.parse(l) as Record<string, unknown>)) {
      const req = r.label === 'a' ? a : b;
      expect(r).toMatchObject({ trace_id: req.traceId, trace_flags: '00' });
      expect(r.span_id).toMatch(/^[0-9a-f]{16}$/);
    }
  });

  it('leaves a record written outside any span as winston without the agent writes it', async () => {
    const ours = new LineSink();
    const theirs = new LineSink();
    const plain = jsonLogger(theirs);
    plain.write = getOriginal(plain.write);
    expect(plain.write).not.toBe(jsonLogger(ours).write);
    for (const [logger, sink] of [
      [jsonLogger(ours), ours],
      [plain, theirs],
    ] as const) {
      logger.info('plain');
      logger.warn('with meta', { n: 1, nested: { x: [1, 2] } });
      logger.child({ part: 'child' }).error('from a child');
      await linesOf(sink, 3);
    }
    expect(ours.lines()).toHaveLength(3);
    expect(ours.lines()).toEqual(theirs.lines());
    expect(ours.lines().join('\n')).not.toContain('trace_id');
  });
});
