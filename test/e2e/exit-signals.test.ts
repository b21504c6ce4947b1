import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT_FLUSH_ENV } from '../helpers/exit-flush';
import { startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver';
import { FIXTURES } from '../helpers/paths';
import { preloadFlags, runNode, spawnNode, type NodeRun } from '../helpers/run-node';

/** Starts the fixture, waits for "ready", sends `signal`, resolves with how it ended. */
async function runAndSignal(env: Record<string, string>, signal: NodeJS.Signals, preload = true): Promise<NodeRun> {
  const app = spawnNode([...preloadFlags(preload ? 'require' : 'none'), path.join(FIXTURES, 'wait-for-signal.js')], { env });
  await app.waitForOutput(/ready/);
  app.child.kill(signal);
  return app.exited;
}

let receiver: OtlpReceiver;
beforeEach(async () => {
  receiver = await startOtlpReceiver();
});
afterEach(async () => {
  await receiver.close();
});

describe('exit paths', () => {
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    it(`${sig} to an app without handlers: every finished span exported, process still dies by ${sig}`, async () => {
      const baseline = await runAndSignal({}, sig, false);
      expect(baseline).toMatchObject({ code: null, signal: sig });
      const res = await runAndSignal({ ...EXIT_FLUSH_ENV, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url, FIXTURE_SPANS: '700' }, sig);
      expect(res).toMatchObject({ code: null, signal: sig });
      expect(receiver.spans()).toHaveLength(700);
    });
  }

  it('an app that handles SIGTERM still decides: its exit code stands, spans flushed', async () => {
    const baseline = await runAndSignal({ FIXTURE_HANDLER: 'exit3' }, 'SIGTERM', false);
    expect(baseline).toMatchObject({ code: 3, signal: null });
    const res = await runAndSignal({ ...EXIT_FLUSH_ENV, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url, FIXTURE_HANDLER: 'exit3', FIXTURE_SPANS: '5' }, 'SIGTERM');
    expect(res).toMatchObject({ code: 3, signal: null });
    expect(receiver.spans()).toHaveLength(5);
  });

  it('process.exit() right after a burst loses no finished span and keeps its exit code', async () => {
    const res = await runNode([...preloadFlags('require'), path.join(FIXTURES, 'exit-now.js')], {
      env: { ...EXIT_FLUSH_ENV, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url, FIXTURE_SPANS: '600', FIXTURE_CODE: '5' },
    });
    expect(res.code).toBe(5);
    await receiver.waitForSpans(600, 3000);
    expect(receiver.spans()).toHaveLength(600);
    expect(new Set(receiver.spans().map((s) => s.spanId)).size).toBe(600);
  });

  it('process.exit() with a batch in flight, spans encoded ahead and spans not yet encoded loses none of them', async () => {
    // After the first turn: 512 spans in flight as encoded slices, 64 more encoded, 24 records;
    // the second turn adds 100 records, and exits.
    const res = await runNode([...preloadFlags('require'), path.join(FIXTURES, 'exit-now.js')], {
      env: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url, FIXTURE_TURNS: '600,100', FIXTURE_CODE: '4' },
    });
    expect(res.code).toBe(4);
    await receiver.waitForSpans(700, 3000);
    const names = new Set(receiver.spans().map((s) => s.name));
    expect([...names].sort()).toEqual(Array.from({ length: 700 }, (_, i) => `step-${i}`).sort());
  });

  it('an app that handles SIGTERM and keeps running is not killed by the agent', async () => {
    const res = await runAndSignal({ ...EXIT_FLUSH_ENV, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url, FIXTURE_HANDLER: 'ignore', FIXTURE_SPANS: '5' }, 'SIGTERM');
    expect(res.stdout).toContain('app-handled');
    expect(res).toMatchObject({ code: 0, signal: null });
    expect(receiver.spans()).toHaveLength(5);
  });
});
