import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT_FLUSH_ENV } from '../helpers/exit-flush';
import { attributeMap, startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver';
import { REGISTER_CJS, runToEnd } from '../helpers/signal-run';

// Rule: a crash under the agent reads like the app's own crash. Node prints the source line
// of the last `throw`: a wrapper that catches and rethrows puts its own line there (with a
// minified bundle, hundreds of kilobytes of it) above the app's location. The agent's
// frames may appear below the app's, and name the TypeScript files they come from under
// --enable-source-maps.
const FIXTURE = 'test/fixtures/exit/throwing-listener.js';

let receiver: OtlpReceiver;
beforeEach(async () => {
  receiver = await startOtlpReceiver();
});
afterEach(async () => {
  await receiver.close();
});

/** The crash report up to the app's own frame: the source line, the message and that frame. */
function head(stderr: string): string {
  const lines = stderr.split('\n');
  const firstFrame = lines.findIndex((l) => l.startsWith('    at '));
  return lines.slice(0, firstFrame + 1).join('\n');
}

describe('crash reports', () => {
  it('a synchronous throw in a request listener: same report head and status as without the agent; the span records the error', async () => {
    const baseline = await runToEnd(FIXTURE);
    expect(baseline.code).toBe(1);
    expect(head(baseline.stderr)).toContain('throwing-listener.js:6');
    // The crash ends the process: the blocking exit path sends the span.
    const traced = await runToEnd(FIXTURE, { nodeArgs: ['--require', REGISTER_CJS], env: { ...EXIT_FLUSH_ENV, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url } });
    expect(traced.code).toBe(baseline.code);
    expect(head(traced.stderr)).toBe(head(baseline.stderr));
    expect(traced.stderr.length).toBeLessThan(baseline.stderr.length + 400);
    for (const line of traced.stderr.split('\n')) expect(line.length).toBeLessThan(200);

    const server = receiver.spans().find((s) => s.kind === 2);
    expect(server?.name).toBe('GET');
    expect(server?.status?.code).toBe(2);
    expect(attributeMap(server!.attributes)['error.type']).toBe('Error');
    expect(server!.events.map((e) => [e.name, attributeMap(e.attributes)['exception.message']])).toEqual([['exception', 'the handler broke']]);
  });

  it('under --enable-source-maps the agent frames name its TypeScript sources, not the bundle', async () => {
    const traced = await runToEnd(FIXTURE, { nodeArgs: ['--enable-source-maps', '--require', REGISTER_CJS], env: { OTEL_TRACES_EXPORTER: 'none' } });
    expect(traced.code).toBe(1);
    expect(traced.stderr).toMatch(/instrumentations\/http\/server\.ts:\d+/);
    expect(traced.stderr).not.toContain('waymark-agent.js');
  });
});
