import { describe, expect, it } from 'vitest';
import { flagsOf, runLogFixture } from '../../helpers/log-fixture';
import { expectInterleaved } from '../../helpers/two-traces';

// The built agent in a spawned app: CommonJS (`require('winston')` under --require) and ESM
// (`import winston from 'winston'` under --import).
describe.each(['require', 'import'] as const)('winston in an app preloaded with --%s', (preload) => {
  it('each record carries the trace and span of the request it was written in', async () => {
    const run = await runLogFixture('winston', preload);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expectInterleaved(run.logged.map((l) => `${l.label}:${l.phase}`));
    for (const { label, line } of run.logged) {
      const server = run.servers[label as 'a' | 'b'];
      expect(JSON.parse(line)).toMatchObject({ trace_id: server.traceId, span_id: server.spanId, trace_flags: flagsOf(server), label, message: 'handled' });
    }
  });

  it('OTEL_NODE_DISABLED_INSTRUMENTATIONS=winston: records as without the agent, while requests are still traced', async () => {
    const run = await runLogFixture('winston', preload, { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'winston' });
    expect(run.code).toBe(0);
    expect(run.servers.a.traceId).toMatch(/^[0-9a-f]{32}$/);
    expectInterleaved(run.logged.map((l) => `${l.label}:${l.phase}`));
    for (const { label, phase, line } of run.logged) expect(JSON.parse(line)).toEqual({ level: 'info', message: 'handled', label, phase });
  });
});
