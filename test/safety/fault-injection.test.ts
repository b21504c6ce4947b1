import { describe, expect, it } from 'vitest';
import { INSTRUMENTATIONS } from '../../instrumentations';
import path from 'node:path';
import { REGISTER_CJS, ROOT, runToEnd } from '../helpers/signal-run';

// Rule: an instrumentation that breaks inside disables itself, with one line, and nothing
// else: the app's responses, results and errors are those it gets without the agent. Each
// instrumentation of the registry in turn gets a span path that throws (its tracer's span
// start, reached from outside through the registered provider: test/fixtures/fault/inject.js)
// while the scenario of its library runs (test/fixtures/fault/scenarios.js; an entry of
// the registry without a scenario fails here).
const SCENARIOS = 'test/fixtures/fault/scenarios.js';
const INJECT = path.join(ROOT, 'test/fixtures/fault/inject.js');
// Express makes spans of its own only with layer spans on; fastify, koa and hapi only name
// the http server span, so their fault is in that naming (inject.js).
const ENV = { WAYMARK_EXPRESS_MIDDLEWARE_SPANS: 'true', OTEL_TRACES_EXPORTER: 'none' };

describe('fault injection, one instrumentation at a time', () => {
  for (const { name } of INSTRUMENTATIONS) {
    it(`${name}: a throwing span path leaves the app's results unchanged and disables ${name} with one line`, async () => {
      const env = { ...ENV, ...(name === 'console' ? { WAYMARK_CONSOLE_TRACE_CONTEXT: 'true' } : {}), FAULT_SCENARIO: name, FAULT_ID: `fault_${name}_${process.pid}_${Date.now()}` };
      const baseline = await runToEnd(SCENARIOS, { env, killAfterMs: 15_000 });
      expect(baseline.stdout).toMatch(/^RESULT /);
      const faulty = await runToEnd(SCENARIOS, {
        env: { ...env, FAULT_INSTRUMENTATION: name },
        nodeArgs: ['--require', REGISTER_CJS, '--require', INJECT],
        killAfterMs: 15_000,
      });
      expect(faulty.stdout).toBe(baseline.stdout);
      expect(faulty.code).toBe(baseline.code);
      const all = faulty.stderr.split('\n').filter(Boolean);
      const met = all.filter((line) => line.startsWith('[fault] injected '));
      expect(met).toHaveLength(1);
      expect(Number(met[0].slice('[fault] injected '.length))).toBeGreaterThan(0);
      const lines = all.filter((line) => !line.startsWith('[fault] '));
      expect(lines).toHaveLength(1);
      for (const line of lines) expect(line).toMatch(new RegExp(`^\\[waymark\\] error: instrumentation ${name} disabled: .*injected fault in ${name}`));
    }, 40_000);
  }
});
