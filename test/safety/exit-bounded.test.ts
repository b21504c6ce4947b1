import { afterEach, describe, expect, it } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver';
import { REGISTER_CJS, runToEnd, shellStatus } from '../helpers/signal-run';

// Rule: the agent never delays the end of the process beyond WAYMARK_SHUTDOWN_TIMEOUT,
// whatever the collector does, and never changes how it ends. A refused connection at
// shutdown is not retried (the process ends at once); a collector that accepts and never
// answers costs at most the timeout, once, however many spans are buffered.
// The export timeouts are set to 30 s so that a flush bounded by them instead would show.
const SLOW_EXPORT = { OTEL_EXPORTER_OTLP_TIMEOUT: '30000', OTEL_BSP_EXPORT_TIMEOUT: '30000' };
const WAIT = 'test/fixtures/wait-for-signal.js';
const EXIT_NOW = 'test/fixtures/exit-now.js';
const CRASH = 'test/fixtures/exit/crash-after-spans.js';
const AGENT = ['--require', REGISTER_CJS];
const REFUSED = 'http://127.0.0.1:1/v1/traces';

let receivers: OtlpReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  receivers = [];
});
async function hangingCollector(): Promise<string> {
  const r = await startOtlpReceiver({ responder: () => 'hang' });
  receivers.push(r);
  return r.url;
}

describe('no app handler: SIGTERM/SIGINT', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal}, collector refusing connections: ends by the signal at once, no retries`, async () => {
      const ending = await runToEnd(WAIT, {
        nodeArgs: AGENT,
        env: { ...SLOW_EXPORT, WAYMARK_SHUTDOWN_TIMEOUT: '10000', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: REFUSED, FIXTURE_SPANS: '3000' },
        signal,
      });
      expect(ending.killed).toBe(false);
      expect(ending.signal).toBe(signal);
      expect(shellStatus(ending)).toBe(signal === 'SIGTERM' ? 143 : 130);
      expect(ending.ms).toBeLessThan(3000);
    });
  }

  it('collector hanging, 3,000 spans buffered: one flush bounded by WAYMARK_SHUTDOWN_TIMEOUT, then the signal ends it', async () => {
    const ending = await runToEnd(WAIT, {
      nodeArgs: AGENT,
      env: { ...SLOW_EXPORT, WAYMARK_SHUTDOWN_TIMEOUT: '1000', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: await hangingCollector(), FIXTURE_SPANS: '3000' },
      signal: 'SIGTERM',
      killAfterMs: 15_000,
    });
    expect(ending.killed).toBe(false);
    expect(shellStatus(ending)).toBe(143);
    expect(ending.ms).toBeGreaterThanOrEqual(900);
    expect(ending.ms).toBeLessThan(4000);
  });

  it('the default WAYMARK_SHUTDOWN_TIMEOUT is 2 s', async () => {
    const ending = await runToEnd(WAIT, {
      nodeArgs: AGENT,
      env: { ...SLOW_EXPORT, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: await hangingCollector(), FIXTURE_SPANS: '10' },
      signal: 'SIGTERM',
      killAfterMs: 15_000,
    });
    expect(shellStatus(ending)).toBe(143);
    expect(ending.ms).toBeGreaterThanOrEqual(1900);
    expect(ending.ms).toBeLessThan(5000);
  });
});

describe('process.exit(), crashes and app handlers', () => {
  const cases = [
    ['process.exit(5)', EXIT_NOW, { FIXTURE_CODE: '5' }, undefined],
    ['an uncaught exception', CRASH, {}, undefined],
    ["an app's SIGTERM handler calling process.exit(3)", WAIT, { FIXTURE_HANDLER: 'exit3' }, 'SIGTERM'],
  ] as const;
  for (const [what, fixture, env, signal] of cases) {
    it(`${what}, collector hanging: same status and stderr as without the agent, at most the timeout later`, async () => {
      const baseline = await runToEnd(fixture, { env: { ...env, FIXTURE_SPANS: '3000' }, signal });
      const traced = await runToEnd(fixture, {
        nodeArgs: AGENT,
        env: { ...env, ...SLOW_EXPORT, WAYMARK_SHUTDOWN_TIMEOUT: '1000', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: await hangingCollector(), FIXTURE_SPANS: '3000' },
        signal,
        killAfterMs: 15_000,
      });
      expect(traced.killed).toBe(false);
      expect(shellStatus(traced)).toBe(shellStatus(baseline));
      expect(traced.stderr).toBe(baseline.stderr);
      expect(traced.ms - baseline.ms).toBeLessThan(4000);
    });

    it(`${what}, collector refusing: no retries, ends promptly`, async () => {
      const traced = await runToEnd(fixture, {
        nodeArgs: AGENT,
        env: { ...env, ...SLOW_EXPORT, WAYMARK_SHUTDOWN_TIMEOUT: '10000', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: REFUSED, FIXTURE_SPANS: '3000' },
        signal,
      });
      expect(traced.killed).toBe(false);
      expect(traced.ms).toBeLessThan(3000);
    });
  }
});
