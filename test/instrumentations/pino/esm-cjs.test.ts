import { describe, expect, it } from 'vitest';
import { runLogFixture } from '../../helpers/log-fixture';

// The built agent in a spawned app: CommonJS (`require('pino')` under --require) and ESM
// (`import { pino } from 'pino'` under --import), pino 10 from the registry's own target.
describe.each(['require', 'import'] as const)('pino in an app preloaded with --%s', (preload) => {
  it('each record carries the trace and span of the request it was written in', async () => {
    const run = await runLogFixture('pino', preload);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.logged.map((l) => l.label)).toEqual(['a', 'b', 'b', 'a']);
    for (const { label, line } of run.logged) {
      const server = run.servers[label as 'a' | 'b'];
      expect(JSON.parse(line)).toMatchObject({ trace_id: server.traceId, span_id: server.spanId, trace_flags: '01', label, msg: 'handled' });
    }
    expect(run.servers.a.traceId).not.toBe(run.servers.b.traceId);
  });

  it('OTEL_NODE_DISABLED_INSTRUMENTATIONS=pino: records as without the agent, while requests are still traced', async () => {
    const run = await runLogFixture('pino', preload, { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'pino' });
    expect(run.code).toBe(0);
    expect(run.servers.a.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(run.logged.map((l) => JSON.parse(l.line))).toEqual([
      { level: 30, label: 'a', phase: 'start', msg: 'handled' },
      { level: 30, label: 'b', phase: 'start', msg: 'handled' },
      { level: 30, label: 'b', phase: 'end', msg: 'handled' },
      { level: 30, label: 'a', phase: 'end', msg: 'handled' },
    ]);
  });
});
