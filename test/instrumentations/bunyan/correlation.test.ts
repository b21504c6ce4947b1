import { describe, expect, it } from 'vitest';
import { getOriginal } from '../../../src/instrument';
import { expectedFields, expectInterleaved, serveTwoTraces } from '../../helpers/two-traces';
import { LineSink, startLogTracing, TESTED } from '../../helpers/log-tracing';

const { agent, http, load } = startLogTracing('bunyan');

describe.each(TESTED.bunyan)('$id (bunyan $major)', ({ id }) => {
  const bunyan = load(id);

  it("each record written in a request handler carries that request's trace, in a JSON stream and a raw one", async () => {
    const sink = new LineSink();
    const raw: Array<Record<string, unknown>> = [];
    const logger = bunyan.createLogger({ name: 'app', streams: [{ stream: sink }, { type: 'raw', stream: { write: (rec: Record<string, unknown>) => raw.push(rec) } }] });
    const { a, b } = await serveTwoTraces(http, agent, (label, phase) => logger.info({ label, phase }, 'handled'));
    const records = sink.records();
    expectInterleaved(records.map((r) => `${r.label}:${r.phase}`));
    for (const r of [...records, ...raw]) expect(r).toMatchObject({ ...expectedFields(r.label === 'a' ? a : b), msg: 'handled' });
    expect(raw).toHaveLength(4);
  });

  it("writes trace_flags 00 and the unsampled trace's id when the request came unsampled", async () => {
    const sink = new LineSink();
    const logger = bunyan.createLogger({ name: 'app', stream: sink });
    const { a, b } = await serveTwoTraces(http, agent, (label) => logger.info({ label }), '00');
    for (const r of sink.records()) {
      const req = r.label === 'a' ? a : b;
      expect(r).toMatchObject({ trace_id: req.traceId, trace_flags: '00' });
      expect(r.span_id).toMatch(/^[0-9a-f]{16}$/);
    }
  });

  it('leaves a record written outside any span as bunyan without the agent writes it', () => {
    const write = (unpatched: boolean) => {
      const sink = new LineSink();
      const logger = bunyan.createLogger({ name: 'app', stream: sink, level: 'debug' });
      const child = logger.child({ part: 'child' });
      if (unpatched) for (const l of [logger, child]) l._emit = getOriginal(l._emit);
      logger.info('plain');
      logger.debug({ n: 1, nested: { x: [1, 2] } }, 'with %s', 'args');
      child.warn('from a child');
      // `time` is the clock's; everything else must match.
      return sink.records().map(({ time: _t, ...rest }) => rest);
    };
    const ours = write(false);
    expect(ours).toHaveLength(3);
    expect(ours).toEqual(write(true));
    expect(JSON.stringify(ours)).not.toContain('trace_id');
  });
});
