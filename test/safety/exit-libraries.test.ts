import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT_FLUSH_ENV } from '../helpers/exit-flush';
import { startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver';
import { REGISTER_CJS, runToEnd, shellStatus } from '../helpers/signal-run';

// Rule: an app whose exit belongs to a signal library ends exactly as it does without the
// agent (same output, same status), and its finished spans still reach the collector.
// signal-exit in particular acts only when its listeners are alone on the signal: the
// agent's presence must not make it think the app handles the signal (it would then
// neither clean up nor exit).
// exit-hook, async-exit-hook, death, close-with-grace and the app's SIGTERM handler end with
// process.exit(), after which only the blocking exit path can send: see EXIT_FLUSH_ENV for
// what that costs on a loaded machine.
const FIXTURE = 'test/fixtures/exit/exit-library-app.js';
const LIBRARIES = [
  'signal-exit3',
  'signal-exit4',
  'signal-exit4-with-app-handler',
  'exit-hook',
  'async-exit-hook',
  'death',
  'node-cleanup',
  'close-with-grace',
];

let receiver: OtlpReceiver;
beforeEach(async () => {
  receiver = await startOtlpReceiver();
});
afterEach(async () => {
  await receiver.close();
});

describe('apps that end through an exit library', () => {
  for (const lib of LIBRARIES) {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      it(`${lib}, ${signal}: same output and exit status as without the agent, spans flushed`, async () => {
        const env = { FIXTURE_LIB: lib, FIXTURE_SPANS: '20' };
        const baseline = await runToEnd(FIXTURE, { env, signal });
        expect(baseline.killed).toBe(false);
        expect(baseline.stdout).toMatch(/cleanup|app handler/);
        const traced = await runToEnd(FIXTURE, {
          env: { ...env, ...EXIT_FLUSH_ENV, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url },
          nodeArgs: ['--require', REGISTER_CJS],
          signal,
        });
        expect(traced.killed).toBe(false);
        expect(traced.stdout).toBe(baseline.stdout);
        expect(shellStatus(traced)).toBe(shellStatus(baseline));
        expect(traced.stderr).toBe(baseline.stderr);
        expect(receiver.spans()).toHaveLength(20);
      });
    }
  }
});
