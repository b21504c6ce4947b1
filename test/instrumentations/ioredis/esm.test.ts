import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { attributeMap, startOtlpReceiver, type OtlpReceiver } from '../../helpers/otlp-receiver';
import { assertBuilt, FIXTURES, runNode, uniquePrefix } from '../redis/driver-harness';

// An ESM app (`import Redis from 'ioredis'`) under `node --import ./register.mjs`.
let receiver: OtlpReceiver;
beforeAll(() => assertBuilt());
beforeEach(async () => {
  receiver = await startOtlpReceiver();
});
afterEach(async () => {
  await receiver.close();
});

function run(extra: Record<string, string> = {}) {
  const prefix = uniquePrefix('ioredis-esm');
  const env = {
    PATH: process.env.PATH ?? '',
    OTEL_SERVICE_NAME: 'esm-ioredis',
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url,
    OTEL_BSP_SCHEDULE_DELAY: '50',
    WM_PREFIX: prefix,
    ...extra,
  };
  return { prefix, result: runNode(['--import', './register.mjs', join(FIXTURES, 'redis-ioredis-esm.mjs')], env) };
}

describe('ioredis under --import ./register.mjs', () => {
  it('traces commands, the pipeline and the MULTI as children of the app span', async () => {
    const { prefix, result } = run();
    const { code, stderr } = await result;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const spans = await receiver.waitForSpans(5);
    const root = spans.find((s) => s.name === 'esm-root')!;
    const redis = spans.filter((s) => s.scope.name === 'waymark/ioredis');
    expect(redis.map((s) => s.name)).toEqual(['SET', 'GET', 'PIPELINE', 'MULTI']);
    for (const s of redis) {
      expect(s.traceId).toBe(root.traceId);
      expect(s.parentSpanId).toBe(root.spanId);
    }
    expect(attributeMap(redis[0]!.attributes)['db.query.text']).toBe(`SET ${prefix}k ?`);
    expect(attributeMap(redis[3]!.attributes)['db.operation.batch.size']).toBe(2);
  });

  it('OTEL_NODE_DISABLED_INSTRUMENTATIONS=ioredis leaves only the app span', async () => {
    const { code, stderr } = await run({ OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'ioredis' }).result;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const spans = await receiver.waitForSpans(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(receiver.spans().map((s) => s.name)).toEqual(['esm-root']);
    expect(spans).toHaveLength(1);
  });
});
