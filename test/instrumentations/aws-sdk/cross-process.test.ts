import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { attributeMap, startOtlpReceiver, type OtlpReceiver } from '../../helpers/otlp-receiver';
import { assertBuilt, FIXTURES } from '../../helpers/paths';
import { runNode } from '../../helpers/run-node';
import { nodeRequire } from '../../helpers/tracing';

// Producer and consumer in two processes, both under `--require ./register.js`, talking to
// one local SQS endpoint (messages kept in this process) and exporting to one OTLP
// receiver: the message carries the trace from one to the other.
const KIND_CLIENT = 3;
const KIND_PRODUCER = 4;
const KIND_CONSUMER = 5;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const { startSqsServer } = nodeRequire(join(FIXTURES, 'aws/sqs-server.js')) as any;

let receiver: OtlpReceiver;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let sqs: any;
beforeAll(() => assertBuilt());
beforeEach(async () => {
  receiver = await startOtlpReceiver();
  sqs = await startSqsServer();
});
afterEach(async () => {
  await receiver.close();
  await sqs.close();
});

function run(fixture: string, service: string, queueUrl: string) {
  const env = {
    OTEL_SERVICE_NAME: service,
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url,
    OTEL_BSP_SCHEDULE_DELAY: '50',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    WM_SQS_ENDPOINT: sqs.url,
    WM_QUEUE_URL: queueUrl,
  };
  return runNode(['--require', './register.js', join(FIXTURES, 'aws', fixture)], { env });
}

describe('aws-sdk SQS across processes (--require ./register.js)', () => {
  it('one trace: producer root -> SQS.SendMessage -> (message) -> process <queue> in the consumer, linked to its receive', async () => {
    const queueUrl = `${sqs.url}/000000000000/cross`;
    sqs.queues.set(queueUrl, []);
    const producer = await run('sqs-producer.js', 'producer-service', queueUrl);
    expect(producer.stderr).toBe('');
    expect(producer.code).toBe(0);
    const consumer = await run('sqs-consumer.js', 'consumer-service', queueUrl);
    expect(consumer.stderr).toBe('');
    expect(consumer.code).toBe(0);
    // The consumer asked for no attributes and got none: the trace's are taken back out.
    expect(consumer.stdout).toBe('RECEIVED [{"body":"across processes"}]\n');

    const spans = await receiver.waitForSpans(6);
    const byName = (n: string) => spans.find((s) => s.name === n)!;
    const service = (s: { resource: Parameters<typeof attributeMap>[0] }) => attributeMap(s.resource)['service.name'];
    const root = byName('producer-root');
    const send = byName('SQS.SendMessage');
    const receive = byName('SQS.ReceiveMessage');
    const processing = byName('process cross');
    expect(send.kind).toBe(KIND_PRODUCER);
    expect(receive.kind).toBe(KIND_CLIENT);
    expect(processing.kind).toBe(KIND_CONSUMER);
    expect(send.parentSpanId).toBe(root.spanId);
    expect(processing.traceId).toBe(root.traceId);
    expect(processing.parentSpanId).toBe(send.spanId);
    expect(processing.links.map((l) => l.spanId)).toEqual([receive.spanId]);
    expect(receive.traceId).not.toBe(root.traceId);
    expect([service(send), service(receive), service(processing)]).toEqual(['producer-service', 'consumer-service', 'consumer-service']);
    expect(attributeMap(processing.attributes)).toMatchObject({ 'messaging.system': 'aws_sqs', 'messaging.destination.name': 'cross', 'messaging.operation.type': 'process' });
    // Each SDK call's HTTP request is its child, never a sibling.
    for (const parent of [send, receive]) expect(spans.filter((s) => s.parentSpanId === parent.spanId && s.kind === KIND_CLIENT).map((s) => s.name)).toEqual(['POST']);
  });
});
