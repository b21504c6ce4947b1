import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { startOtlpReceiver, type OtlpReceiver } from '../../helpers/otlp-receiver';
import { assertBuilt, FIXTURES } from '../../helpers/paths';
import { runNode } from '../../helpers/run-node';
import { uniquePrefix } from '../../helpers/unique-prefix';

// An ESM app (`import { connect } from 'nats'`, JetStream) under `node --import ./register.mjs`.
const KIND_PRODUCER = 4;
const KIND_CONSUMER = 5;
let receiver: OtlpReceiver;
beforeAll(() => assertBuilt());
beforeEach(async () => {
  receiver = await startOtlpReceiver();
});
afterEach(async () => {
  await receiver.close();
});

function run(extra: Record<string, string> = {}) {
  const id = uniquePrefix('natsesm').replace(/[^A-Za-z0-9]/g, '_');
  const env = { OTEL_SERVICE_NAME: 'esm-nats', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '50', WM_ID: id, ...extra };
  return { subject: `${id}.events`, result: runNode(['--import', './register.mjs', join(FIXTURES, 'nats-esm.mjs')], { env }) };
}

describe('nats 2 JetStream under --import ./register.mjs', () => {
  it('PRODUCER under the app span, CONSUMER its child; the JetStream API calls make no spans', async () => {
    const { subject, result } = run();
    const { code, stderr } = await result;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const spans = await receiver.waitForSpans(3);
    await new Promise((r) => setTimeout(r, 150));
    expect(receiver.spans().map((s) => s.name).sort()).toEqual(['esm-root', `process ${subject}`, `publish ${subject}`]);
    const root = spans.find((s) => s.name === 'esm-root')!;
    const producer = spans.find((s) => s.name === `publish ${subject}`)!;
    const consumer = spans.find((s) => s.name === `process ${subject}`)!;
    expect(producer.kind).toBe(KIND_PRODUCER);
    expect(consumer.kind).toBe(KIND_CONSUMER);
    expect(producer.parentSpanId).toBe(root.spanId);
    expect(consumer.traceId).toBe(root.traceId);
    expect(consumer.parentSpanId).toBe(producer.spanId);
  });

  it('OTEL_NODE_DISABLED_INSTRUMENTATIONS=nats leaves only the app span', async () => {
    const { code, stderr } = await run({ OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'nats' }).result;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    await receiver.waitForSpans(1);
    await new Promise((r) => setTimeout(r, 150));
    expect(receiver.spans().map((s) => s.name)).toEqual(['esm-root']);
  });
});
