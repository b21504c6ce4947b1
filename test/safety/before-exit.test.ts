import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT_FLUSH_ENV } from '../helpers/exit-flush';
import { startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver';
import { REGISTER_CJS, runToEnd } from '../helpers/signal-run';

// Rule: an app that listens to `beforeExit` sees exactly the events it sees without the
// agent (a flush started there would keep the loop alive and bring one more), and its
// spans still reach the collector.
const FIXTURE = 'test/fixtures/exit/before-exit-app.js';

let receiver: OtlpReceiver;
beforeEach(async () => {
  receiver = await startOtlpReceiver();
});
afterEach(async () => {
  await receiver.close();
});

describe('beforeExit', () => {
  for (const reschedule of [0, 1, 2]) {
    it(`an app scheduling work from its first ${reschedule} beforeExit events sees the same events, spans flushed`, async () => {
      const env = { FIXTURE_SPANS: '10', FIXTURE_RESCHEDULE: String(reschedule) };
      const baseline = await runToEnd(FIXTURE, { env });
      expect(baseline.stdout.split('\n').filter(Boolean)).toHaveLength(reschedule + 1);
      // With the app's listener the agent stays out of beforeExit: the blocking exit path sends.
      const traced = await runToEnd(FIXTURE, { env: { ...env, ...EXIT_FLUSH_ENV, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url }, nodeArgs: ['--require', REGISTER_CJS] });
      expect(traced.stdout).toBe(baseline.stdout);
      expect(traced.code).toBe(baseline.code);
      await receiver.waitForSpans(10 + reschedule, 3000);
      expect(receiver.spans()).toHaveLength(10 + reschedule);
    });
  }

  it('without an app listener, the flush at beforeExit delivers the spans and the exit code stands', async () => {
    const traced = await runToEnd('test/fixtures/nested-spans.js', { env: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url }, nodeArgs: ['--require', REGISTER_CJS] });
    expect(traced.code).toBe(0);
    expect(receiver.spans().length).toBeGreaterThan(0);
  });
});
