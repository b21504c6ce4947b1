import { describe, expect, it } from 'vitest';
import { flagsOf, runLogFixture } from '../../helpers/log-fixture';
import { expectInterleaved } from '../../helpers/two-traces';

// The built agent in a spawned app: CommonJS (`require('bunyan')` under --require) and ESM
// (`import bunyan from 'bunyan'` under --import), bunyan 2.
describe.each(['require', 'import'] as const)('bunyan in an app preloaded with --%s', (preload) => {
  it('each record carries the trace and span of the request it was written in', async () => {
    const run = await runLogFixture('bunyan', preload);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expectInterleaved(run.logged.map((l) => `${l.label}:${l.phase}`));
    for (const { label, line } of run.logged) {
      const server = run.servers[label as 'a' | 'b'];
      expect(JSON.parse(line)).toMatchObject({ trace_id: server.traceId, span_id: server.spanId, trace_flags: flagsOf(server), label, msg: 'handled' });
    }
  });

  it('OTEL_NODE_DISABLED_INSTRUMENTATIONS=bunyan: records as without the agent, while requests are still traced', async () => {
    const run = await runLogFixture('bunyan', preload, { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'bunyan' });
    expect(run.code).toBe(0);
    expect(run.servers.a.traceId).toMatch(/^[0-9a-f]{32}$/);
    const records = run.logged.map((l) => JSON.parse(l.line) as Record<string, unknown>);
    expectInterleaved(records.map((r) => `${r.label}:${r.phase}`));
    for (const r of records) expect(Object.keys(r)).toEqual(['name', 'hostname', 'pid', 'level', 'label', 'phase', 'msg', 'time', 'v']);
  });
});
