import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { attributeMap, startOtlpReceiver, type OtlpReceiver } from '../../helpers/otlp-receiver';
import { assertBuilt, FIXTURES } from '../../helpers/paths';
import { runNode } from '../../helpers/run-node';
import { uniquePrefix } from '../../helpers/unique-prefix';

// ESM apps under `node --import ./register.mjs`: `import Redis from 'ioredis'` and
// `import { createClient } from 'redis'` (6.x, and 5.x installed as `redis5`) make the same
// commands and batches.
let receiver: OtlpReceiver;
beforeAll(() => assertBuilt());
beforeEach(async () => {
  receiver = await startOtlpReceiver();
});
afterEach(async () => {
  await receiver.close();
});

const CLIENTS = [
  { instrumentation: 'ioredis', fixture: 'redis-ioredis-esm.mjs' },
  { instrumentation: 'redis', fixture: 'redis-node-esm.mjs' },
  { instrumentation: 'redis', fixture: 'redis-node-esm.mjs', module: 'redis5' },
];

describe.each(CLIENTS)('$instrumentation $module under --import ./register.mjs', ({ instrumentation, fixture, module }) => {
  function run(extra: Record<string, string> = {}) {
    const prefix = uniquePrefix(`${instrumentation}-esm`);
    const env = {
      OTEL_SERVICE_NAME: `esm-${instrumentation}`,
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: '50',
      WM_PREFIX: prefix,
      ...(module === undefined ? {} : { WM_REDIS_MODULE: module }),
      ...extra,
    };
    return { prefix, result: runNode(['--import', './register.mjs', join(FIXTURES, fixture)], { env }) };
  }

  it('traces commands, the pipeline and the MULTI as children of the app span', async () => {
    const { prefix, result } = run();
    const { code, stderr } = await result;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const spans = await receiver.waitForSpans(5);
    const root = spans.find((s) => s.name === 'esm-root')!;
    const redis = spans.filter((s) => s.scope.name === `waymark/${instrumentation}`);
    expect(redis.map((s) => s.name)).toEqual(['SET', 'GET', 'PIPELINE', 'MULTI']);
    for (const s of redis) {
      expect(s.traceId).toBe(root.traceId);
      expect(s.parentSpanId).toBe(root.spanId);
    }
    expect(attributeMap(redis[0]!.attributes)['db.query.text']).toBe(`SET ${prefix}k ?`);
    expect(attributeMap(redis[3]!.attributes)['db.operation.batch.size']).toBe(2);
  });

  it(`OTEL_NODE_DISABLED_INSTRUMENTATIONS=${instrumentation} leaves only the app span`, async () => {
    const { code, stderr } = await run({ OTEL_NODE_DISABLED_INSTRUMENTATIONS: instrumentation }).result;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const spans = await receiver.waitForSpans(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(receiver.spans().map((s) => s.name)).toEqual(['esm-root']);
    expect(spans).toHaveLength(1);
  });
});
