import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { attributeMap, startOtlpReceiver, type OtlpReceiver } from '../../helpers/otlp-receiver';
import { assertBuilt, FIXTURES } from '../../helpers/paths';
import { runNode, spawnNode } from '../../helpers/run-node';
import { uniquePrefix } from '../../helpers/unique-prefix';

// A publisher (ESM, `import mqtt from 'mqtt'`, --import ./register.mjs) and a subscriber
// (CommonJS, --require ./register.js) in two processes, both MQTT 5, exporting to one OTLP
// receiver: the message's user properties carry the trace.
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

function env(service: string, topic: string, extra: Record<string, string> = {}): Record<string, string> {
  return { OTEL_SERVICE_NAME: service, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '50', WM_TOPIC: topic, ...extra };
}

const topicFor = () => `${uniquePrefix('mqttx').replace(/[^A-Za-z0-9]/g, '_')}/events`;

async function run(topic: string, extra: Record<string, string> = {}) {
  const subscriber = spawnNode(['--require', './register.js', join(FIXTURES, 'mqtt-subscriber.js')], { env: env('subscriber-service', topic, extra) });
  await subscriber.waitForOutput(/READY\n/);
  const pub = await runNode(['--import', './register.mjs', join(FIXTURES, 'mqtt-publisher.mjs')], { env: env('publisher-service', topic, extra) });
  expect(pub.stderr).toBe('');
  expect(pub.code).toBe(0);
  const done = await subscriber.exited;
  expect(done.stderr).toBe('');
  expect(done.code).toBe(0);
  return done;
}

describe('mqtt 5 across processes (ESM publisher, CommonJS subscriber)', () => {
  it('one trace: publisher root -> PRODUCER -> (message) -> CONSUMER -> handler span', async () => {
    const topic = topicFor();
    const done = await run(topic);
    const spans = await receiver.waitForSpans(4);
    const byName = (n: string) => spans.find((s) => s.name === n)!;
    const root = byName('publisher-root');
    const producer = byName(`publish ${topic}`);
    const processing = byName(`process ${topic}`);
    const handler = byName('handle-message');
    expect(producer.kind).toBe(KIND_PRODUCER);
    expect(processing.kind).toBe(KIND_CONSUMER);
    for (const s of [producer, processing, handler]) expect(s.traceId).toBe(root.traceId);
    expect(producer.parentSpanId).toBe(root.spanId);
    expect(processing.parentSpanId).toBe(producer.spanId);
    expect(handler.parentSpanId).toBe(processing.spanId);
    const service = (s: { resource: Parameters<typeof attributeMap>[0] }) => attributeMap(s.resource)['service.name'];
    expect(service(producer)).toBe('publisher-service');
    expect(service(processing)).toBe('subscriber-service');
    expect(done.stdout).toContain(`DONE 00-${root.traceId}-${producer.spanId}-03`);
    expect(attributeMap(processing.attributes)).toMatchObject({ 'messaging.system': 'mqtt', 'messaging.operation.type': 'process', 'messaging.destination.name': topic });
  });

  it('OTEL_NODE_DISABLED_INSTRUMENTATIONS=mqtt on both sides: no mqtt span, no user property sent', async () => {
    const done = await run(topicFor(), { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'mqtt' });
    expect(done.stdout).toContain('DONE none');
    await receiver.waitForSpans(2);
    await new Promise((r) => setTimeout(r, 150));
    expect(receiver.spans().map((s) => s.name).sort()).toEqual(['handle-message', 'publisher-root']);
  });
});
