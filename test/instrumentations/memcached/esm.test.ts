import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { attributeMap, startOtlpReceiver, type OtlpReceiver } from '../../helpers/otlp-receiver';
import { assertBuilt, FIXTURES } from '../../helpers/paths';
import { runNode } from '../../helpers/run-node';
import { uniquePrefix } from '../../helpers/unique-prefix';

// An ESM app (`import Memcached from 'memcached'`) under `node --import ./register.mjs`,
// exported over OTLP and decoded.
let receiver: OtlpReceiver;
beforeAll(() => assertBuilt());
beforeEach(async () => {
  receiver = await startOtlpReceiver();
});
afterEach(async () => {
  await receiver.close();
});

function run(extra: Record<string, string> = {}) {
  const prefix = uniquePrefix('memcached-esm');
  const env = { OTEL_SERVICE_NAME: 'esm-memcached', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '50', WM_PREFIX: prefix, ...extra };
  return { prefix, result: runNode(['--import', './register.mjs', join(FIXTURES, 'memcached-esm.mjs')], { env }) };
}
const RESULTS = [true, 'secret-value', 'error: Item is not stored'];

describe('memcached under --import ./register.mjs', () => {
  it('traces set, get and the failed add as children of the app span; the value is in no span', async () => {
    const { prefix, result } = run();
    const { code, stderr, stdout } = await result;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(RESULTS);
    const spans = await receiver.waitForSpans(4);
    const root = spans.find((s) => s.name === 'esm-root')!;
    const commands = spans.filter((s) => s.scope.name === 'waymark/memcached');
    expect(commands.map((s) => s.name)).toEqual(['memcached set', 'memcached get', 'memcached add']);
    for (const s of commands) {
      expect(s.parentSpanId).toBe(root.spanId);
      expect(s.kind).toBe(3); // SPAN_KIND_CLIENT
      expect(attributeMap(s.attributes)).toMatchObject({ 'db.system.name': 'memcached', 'db.memcached.key': `${prefix}k`, 'server.port': 11211 });
    }
    expect(commands[2]!.status?.code).toBe(2); // STATUS_CODE_ERROR
    expect(JSON.stringify(spans)).not.toContain('secret-value');
  });

  it('OTEL_NODE_DISABLED_INSTRUMENTATIONS=memcached: same results, only the app span', async () => {
    const { code, stderr, stdout } = await run({ OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'memcached' }).result;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(RESULTS);
    await receiver.waitForSpans(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(receiver.spans().map((s) => s.name)).toEqual(['esm-root']);
  });
});
