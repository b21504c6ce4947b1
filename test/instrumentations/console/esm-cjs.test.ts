import { describe, expect, it } from 'vitest';
import { flagsOf, runLogFixture } from '../../helpers/log-fixture';
import { expectInterleaved } from '../../helpers/two-traces';

const ON = { WAYMARK_CONSOLE_TRACE_CONTEXT: 'true' };

// console.log in a spawned app under the built agent, CommonJS (--require) and ESM (--import).
describe.each(['require', 'import'] as const)('console in an app preloaded with --%s', (preload) => {
  it('with WAYMARK_CONSOLE_TRACE_CONTEXT=true, each line ends with the ids of the request it was written in', async () => {
    const run = await runLogFixture('console', preload, ON);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expectInterleaved(run.logged.map((l) => `${l.label}:${l.phase}`));
    for (const { label, phase, line } of run.logged) {
      const server = run.servers[label as 'a' | 'b'];
      expect(line).toBe(`handled label=${label} phase=${phase} trace_id=${server.traceId} span_id=${server.spanId} trace_flags=${flagsOf(server)}`);
    }
  });

  it('is off by default: lines as the app printed them, while requests are still traced', async () => {
    const run = await runLogFixture('console', preload);
    expect(run.code).toBe(0);
    expect(run.servers.a.traceId).toMatch(/^[0-9a-f]{32}$/);
    expectInterleaved(run.logged.map((l) => `${l.label}:${l.phase}`));
    for (const { label, phase, line } of run.logged) expect(line).toBe(`handled label=${label} phase=${phase}`);
  });

  it('OTEL_NODE_DISABLED_INSTRUMENTATIONS=console wins over the setting', async () => {
    const run = await runLogFixture('console', preload, { ...ON, OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'console' });
    expect(run.code).toBe(0);
    expect(run.servers.b.traceId).toMatch(/^[0-9a-f]{32}$/);
    for (const { label, phase, line } of run.logged) expect(line).toBe(`handled label=${label} phase=${phase}`);
  });
});
