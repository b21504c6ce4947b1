import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getOriginal } from '../../../src/instrument';
import { expectedFields, expectInterleaved, serveTwoTraces } from '../../helpers/two-traces';
import { LineSink, startLogTracing, TESTED } from '../../helpers/log-tracing';

const { agent, http, load } = startLogTracing('pino');

// Records without time, pid and hostname, so two loggers' lines compare byte for byte.
const QUIET = { base: null, timestamp: false };

describe.each(TESTED.pino)('$id (pino $major)', ({ id }) => {
  const pino = load(id);

  it('each record written in a request handler carries that request\'s trace, with two requests in flight', async () => {
    const sink = new LineSink();
    const logger = pino(QUIET, sink);
    const { a, b } = await serveTwoTraces(http, agent, (label, phase) => logger.info({ label, phase }, 'handled'));
    const records = sink.records();
    expectInterleaved(records.map((r) => `${r.label}:${r.phase}`));
    for (const r of records) {
      expect(r).toMatchObject(expectedFields(r.label === 'a' ? a : b));
      expect(r.msg).toBe('handled');
    }
    expect(a.server!.traceId).not.toBe(b.server!.traceId);
  });

  it('writes trace_flags 00 and the unsampled trace\'s id when the request came unsampled', async () => {
    const sink = new LineSink();
    const logger = pino(QUIET, sink);
    const { a, b } = await serveTwoTraces(http, agent, (label) => logger.info({ label }), '00');
    for (const r of sink.records()) {
      const req = r.label === 'a' ? a : b;
      expect(r.trace_id).toBe(req.traceId);
      expect(r.trace_flags).toBe('00');
      expect(r.span_id).toMatch(/^[0-9a-f]{16}$/);
      expect(r.span_id).not.toBe(req.parentSpanId);
    }
  });

  it('writes to a file destination the same way (pino.destination, a real file stream)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'waymark-pino-')), 'log.ndjson');
    const dest = pino.destination(file);
    const logger = pino(QUIET, dest);
    const { a, b } = await serveTwoTraces(http, agent, (label, phase) => logger.info({ label, phase }));
    dest.flushSync();
    const records = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records).toHaveLength(4);
    for (const r of records) expect(r).toMatchObject(expectedFields(r.label === 'a' ? a : b));
  });

  it('leaves a record written outside any span byte for byte as pino without the agent writes it', () => {
    const ours = new LineSink();
    const theirs = new LineSink();
    const plain = getOriginal(pino) as typeof pino;
    expect(plain).not.toBe(pino);
    for (const [make, sink] of [
      [pino, ours],
      [plain, theirs],
    ] as const) {
      const logger = make({ ...QUIET, level: 'debug' }, sink);
      logger.info('plain');
      logger.debug({ n: 1, nested: { x: [1, 2] } }, 'with %s', 'args');
      logger.child({ part: 'child' }).warn(new Error('boom'));
    }
    expect(ours.lines()).toHaveLength(3);
    expect(ours.lines()).toEqual(theirs.lines());
    expect(ours.lines().join('\n')).not.toContain('trace_id');
  });
});
