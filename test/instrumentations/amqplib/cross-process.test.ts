import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { attributeMap, startOtlpReceiver, type OtlpReceiver } from '../../helpers/otlp-receiver';
import { assertBuilt, FIXTURES } from '../../helpers/paths';
import { runNode, spawnNode, type NodeRun } from '../../helpers/run-node';
import { uniquePrefix } from '../../helpers/unique-prefix';

// Publisher and consumer in two processes, both under `--require ./register.js`, exporting
// to one OTLP receiver: the message carries the trace from one to the other.
const KIND_PRODUCER = 4;
const KIND_CONSUMER = 5;
const AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';

let receiver: OtlpReceiver;
beforeAll(() => assertBuilt());
beforeEach(async () => {
  receiver = await startOtlpReceiver();
});
afterEach(async () => {
  await receiver.close();
});

function env(service: string, queue: string): Record<string, string> {
  return {
    OTEL_SERVICE_NAME: service,
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url,
    OTEL_BSP_SCHEDULE_DELAY: '50',
    WM_AMQP_URL: AMQP_URL,
    WM_QUEUE: queue,
  };
}

/** Starts the consumer fixture; resolves once it consumes, with a promise of its exit. */
async function startConsumer(queue: string): Promise<{ exited: Promise<NodeRun> }> {
  const consumer = spawnNode(['--require', './register.js', join(FIXTURES, 'amqp-consumer.js')], { env: env('consumer-service', queue) });
  await consumer.waitForOutput(/READY\n/);
  return { exited: consumer.exited };
}

describe('amqplib across processes (--require ./register.js)', () => {
  it('one trace: publisher root -> PRODUCER -> (message) -> CONSUMER -> handler span', async () => {
    const queue = uniquePrefix('amqp-x').replace(/:/g, '.') + 'q';
    const consumer = await startConsumer(queue);
    const pub = await runNode(['--require', './register.js', join(FIXTURES, 'amqp-publisher.js')], { env: env('publisher-service', queue) });
    expect(pub.stderr).toBe('');
    expect(pub.code).toBe(0);
    const done = await consumer.exited;
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);

    const spans = await receiver.waitForSpans(4);
    const byName = (n: string) => spans.find((s) => s.name === n)!;
    const root = byName('publisher-root');
    const producer = byName(`publish ${queue}`);
    const processing = byName(`process ${queue}`);
    const handler = byName('handle-message');
    expect(producer.kind).toBe(KIND_PRODUCER);
    expect(processing.kind).toBe(KIND_CONSUMER);
    for (const s of [producer, processing, handler]) expect(s.traceId).toBe(root.traceId);
    expect(producer.parentSpanId).toBe(root.spanId);
    expect(processing.parentSpanId).toBe(producer.spanId);
    expect(handler.parentSpanId).toBe(processing.spanId);
    // Each span was exported by the process that made it.
    const service = (s: { resource: Parameters<typeof attributeMap>[0] }) => attributeMap(s.resource)['service.name'];
    expect(service(producer)).toBe('publisher-service');
    expect(service(processing)).toBe('consumer-service');
    // 03: sampled, and random (the agent started this trace).
    expect(done.stdout).toContain(`DONE 00-${root.traceId}-${producer.spanId}-03`);
    expect(attributeMap(processing.attributes)).toMatchObject({
      'messaging.system': 'rabbitmq',
      'messaging.operation.type': 'process',
      'messaging.message.id': 'cross-1',
    });
  });
});
