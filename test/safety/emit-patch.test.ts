import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver';
import { REGISTER_CJS, runToEnd } from '../helpers/signal-run';

// Rule: the agent's own patches never hide the app's. An app that patches
// EventEmitter.prototype.emit after the agent patched http still sees every event of the
// http objects it sees without the agent, and the request is still traced.
const FIXTURE = 'test/fixtures/exit/emit-patch-app.js';

let receiver: OtlpReceiver;
beforeEach(async () => {
  receiver = await startOtlpReceiver();
});
afterEach(async () => {
  await receiver.close();
});

describe("an app's patch of EventEmitter.prototype.emit", () => {
  it('sees the same http events with the agent as without it', async () => {
    const baseline = await runToEnd(FIXTURE);
    expect(baseline.stdout).toContain('Server:request');
    expect(baseline.stdout).toContain('ServerResponse:finish');
    const traced = await runToEnd(FIXTURE, { nodeArgs: ['--require', REGISTER_CJS], env: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url } });
    expect(traced.code).toBe(0);
    expect(traced.stdout).toBe(baseline.stdout);
    await receiver.waitForSpans(2, 3000);
    expect(receiver.spans().map((s) => s.kind).sort()).toEqual([2, 3]);
  });
});
