import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { FIXTURES } from '../../helpers/paths';
import { setLogLevel, setLogSink } from '../../../src/diag';
import { inParent, pollSpans, spansOf } from '../../helpers/spans';
import { nodeRequire, startTracing } from '../../helpers/tracing';
import { clientConfig, httpClientSpans } from './helpers';

// The real SQS and SNS clients against local stand-ins of the services' servers
// (test/fixtures/aws: SQS's JSON protocol, SNS's query protocol), the trace carried in
// message attributes.
const { agent } = startTracing({ enabled: ['http', 'aws-sdk'] });
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
const { startSqsServer } = nodeRequire(join(FIXTURES, 'aws/sqs-server.js')) as Any;
const { startSnsServer } = nodeRequire(join(FIXTURES, 'aws/sns-server.js')) as Any;
const { SQSClient, CreateQueueCommand, SendMessageCommand, SendMessageBatchCommand, ReceiveMessageCommand } = nodeRequire('@aws-sdk/client-sqs') as Any;
const { SNSClient, PublishCommand, PublishBatchCommand } = nodeRequire('@aws-sdk/client-sns') as Any;

let sqsServer: Any;
let snsServer: Any;
let sqs: Any;
let sns: Any;
beforeAll(async () => {
  sqsServer = await startSqsServer();
  snsServer = await startSnsServer();
  sqs = new SQSClient(clientConfig(sqsServer.url));
  sns = new SNSClient(clientConfig(snsServer.url));
});
afterAll(async () => {
  sqs.destroy();
  sns.destroy();
  await sqsServer.close();
  await snsServer.close();
});
beforeEach(() => agent.reset());

const awsSpan = (name: string) => pollSpans(agent, (spans) => spans.find((s) => s.name === name && s.scope.name === 'waymark/aws-sdk'), name);
const attr = (v: string) => ({ DataType: 'String', StringValue: v });
let n = 0;
async function newQueue(): Promise<string> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `wm-q${n++}-${process.pid}` }));
  agent.reset();
  return QueueUrl;
}
/** The traceparent a span's context makes. */
const traceparentOf = (s: { traceId: string; spanId: string }) => `00-${s.traceId}-${s.spanId}-`;

describe('aws-sdk SQS', () => {
  it('SendMessage: a PRODUCER span whose context the message carries; the app’s input untouched', async () => {
    const url = await newQueue();
    const input = { QueueUrl: url, MessageBody: 'hello', MessageAttributes: { app: attr('1') } };
    const { parent, result } = await inParent(() => sqs.send(new SendMessageCommand(input)));
    const span = await awsSpan('SQS.SendMessage');
    expect(span.kind).toBe(SpanKind.PRODUCER);
    expect(span.parentSpanId).toBe(parent.spanContext().spanId);
    expect(span.attributes).toMatchObject({
      'rpc.system': 'aws-api',
      'rpc.service': 'SQS',
      'rpc.method': 'SendMessage',
      'messaging.system': 'aws_sqs',
      'messaging.destination.name': url.split('/').pop(),
      'messaging.operation.type': 'send',
      'messaging.message.id': (result as Any).MessageId,
      'cloud.region': 'us-east-1',
    });
    expect(span.attributes['aws.request_id']).toBe((result as Any).$metadata.requestId);
    expect(input).toEqual({ QueueUrl: url, MessageBody: 'hello', MessageAttributes: { app: attr('1') } });
    const stored = sqsServer.queues.get(url)[0].attributes;
    expect(Object.keys(stored).sort()).toEqual(['app', 'traceparent']);
    expect(stored.traceparent.DataType).toBe('String');
    expect(stored.traceparent.StringValue.startsWith(traceparentOf(span))).toBe(true);
    // The SDK's own request is the send span's child.
    expect(httpClientSpans(agent.finishedSpans()).map((s) => s.parentSpanId)).toEqual([span.spanId]);
  });

  it('SendMessageBatch: each entry carries the context, except one the context would take over 10 attributes', async () => {
    const url = await newQueue();
    const ten = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`a${i}`, attr(String(i))]));
    const lines: string[] = [];
    setLogSink((line) => lines.push(line));
    setLogLevel('debug');
    const out = await sqs.send(
      new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: '1', MessageBody: 'one' }, { Id: '2', MessageBody: 'full', MessageAttributes: ten }] }),
    );
    setLogLevel('info');
    setLogSink((line) => process.stderr.write(line + '\n'));
    expect(lines.filter((l) => l.includes('aws-sdk'))).toEqual(['[waymark] debug: aws-sdk: SQS.SendMessageBatch: trace context not added to 1 message(s): it would take them over 10 message attributes']);
    expect(out.Failed ?? []).toEqual([]);
    const span = await awsSpan('SQS.SendMessageBatch');
    expect(span.kind).toBe(SpanKind.PRODUCER);
    expect(span.attributes['messaging.batch.message_count']).toBe(2);
    const [one, full] = sqsServer.queues.get(url);
    expect(one.attributes.traceparent.StringValue.startsWith(traceparentOf(span))).toBe(true);
    expect(full.attributes).toEqual(ten);
  });

  it('ReceiveMessage: asks for the trace attributes, hands the app only what it asked for, a CONSUMER span per message under its producer', async () => {
    const url = await newQueue();
    const { parent: producerParent } = await inParent(async () => {
      await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'm1', MessageAttributes: { app: attr('x') } }));
      await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'm2' }));
    }, 'producer');
    const sends = spansOf(agent, 'aws-sdk').filter((s) => s.name === 'SQS.SendMessage');
    expect(sends).toHaveLength(2);
    agent.reset();
    sqsServer.requests.length = 0;

    const input = { QueueUrl: url, MaxNumberOfMessages: 10 };
    const { result, parent } = await inParent(() => sqs.send(new ReceiveMessageCommand(input)), 'consumer');
    // What the app gets is what it would get without the agent: no attributes asked, none given.
    expect((result as Any).Messages.map((m: Any) => [m.Body, m.MessageAttributes, m.MD5OfMessageAttributes])).toEqual([
      ['m1', undefined, undefined],
      ['m2', undefined, undefined],
    ]);
    expect(input).toEqual({ QueueUrl: url, MaxNumberOfMessages: 10 });
    expect(sqsServer.requests[0][1].MessageAttributeNames).toEqual(['traceparent', 'tracestate', 'baggage']);

    const receive = await awsSpan('SQS.ReceiveMessage');
    expect(receive.kind).toBe(SpanKind.CLIENT);
    expect(receive.parentSpanId).toBe(parent.spanContext().spanId);
    expect(receive.attributes).toMatchObject({ 'messaging.operation.type': 'receive', 'messaging.batch.message_count': 2 });
    const processes = spansOf(agent, 'aws-sdk').filter((s) => s.kind === SpanKind.CONSUMER);
    expect(processes.map((s) => s.name)).toEqual([`process ${url.split('/').pop()}`, `process ${url.split('/').pop()}`]);
    processes.forEach((p, i) => {
      expect(p.traceId).toBe(producerParent.spanContext().traceId);
      expect(p.parentSpanId).toBe(sends[i]!.spanId);
      expect(p.links.map((l) => l.spanId)).toEqual([receive.spanId]);
      expect(p.attributes).toMatchObject({ 'messaging.operation.type': 'process', 'messaging.message.id': (result as Any).Messages[i].MessageId });
    });
  });

  it('ReceiveMessage naming some attributes: gets those, not ours', async () => {
    const url = await newQueue();
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'm', MessageAttributes: { app: attr('x'), other: attr('y') } }));
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MessageAttributeNames: ['app'] }));
    expect(out.Messages[0].MessageAttributes).toEqual({ app: attr('x') });
    const out2 = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MessageAttributeNames: ['All'] }));
    expect(out2.Messages).toBeUndefined();
  });

  it('ReceiveMessage with All: the app sees every attribute, ours included, as it asked', async () => {
    const url = await newQueue();
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'm' }));
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MessageAttributeNames: ['All'] }));
    expect(Object.keys(out.Messages[0].MessageAttributes)).toEqual(['traceparent']);
    expect(sqsServer.requests.at(-1)[1].MessageAttributeNames).toEqual(['All']);
  });

  it('a missing queue: ERROR, the service error name, the request id; the app gets the same error', async () => {
    const err = await sqs.send(new SendMessageCommand({ QueueUrl: `${sqsServer.url}/000000000000/none`, MessageBody: 'x' })).catch((e: unknown) => e);
    expect((err as Error).name).toBe('QueueDoesNotExist');
    const span = await awsSpan('SQS.SendMessage');
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).toBe('QueueDoesNotExist');
    expect(span.attributes['aws.request_id']).toBe((err as Any).$metadata.requestId);
  });
});

describe('aws-sdk SNS', () => {
  const topic = 'arn:aws:sns:us-east-1:000000000000:news';

  it('Publish: a PRODUCER span SNS.Publish, its context in the message attributes', async () => {
    snsServer.published.length = 0;
    const input = { TopicArn: topic, Message: 'hi', MessageAttributes: { app: attr('1') } };
    const { parent, result } = await inParent(() => sns.send(new PublishCommand(input)));
    const span = await awsSpan('SNS.Publish');
    expect(span.kind).toBe(SpanKind.PRODUCER);
    expect(span.parentSpanId).toBe(parent.spanContext().spanId);
    expect(span.attributes).toMatchObject({
      'rpc.service': 'SNS',
      'messaging.system': 'aws_sns',
      'messaging.destination.name': 'news',
      'messaging.message.id': (result as Any).MessageId,
      'aws.request_id': (result as Any).$metadata.requestId,
    });
    expect(input.MessageAttributes).toEqual({ app: attr('1') });
    const [sent] = snsServer.published;
    expect(Object.keys(sent.attributes).sort()).toEqual(['app', 'traceparent']);
    expect(sent.attributes.traceparent.StringValue.startsWith(traceparentOf(span))).toBe(true);
  });

  it('PublishBatch: every entry carries the context', async () => {
    snsServer.published.length = 0;
    await sns.send(new PublishBatchCommand({ TopicArn: topic, PublishBatchRequestEntries: [{ Id: 'a', Message: '1' }, { Id: 'b', Message: '2' }] }));
    const span = await awsSpan('SNS.PublishBatch');
    expect(span.attributes['messaging.batch.message_count']).toBe(2);
    expect(snsServer.published.map((p: Any) => p.attributes.traceparent.StringValue.startsWith(traceparentOf(span)))).toEqual([true, true]);
  });
});
