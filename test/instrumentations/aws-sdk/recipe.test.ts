import { describe, expect, it } from 'vitest';
import { SpanKind } from '@opentelemetry/api';
import {
  awsCallSpec,
  errorAttributes,
  operationOf,
  processSpec,
  queueNameOf,
  resultAttributes,
  serviceOf,
  tableNamesOf,
  topicNameOf,
} from '../../../instrumentations/aws-sdk/recipe';
import { namesToAdd, removeAddedNames, withTraceContext } from '../../../instrumentations/aws-sdk/message-attributes';

describe('aws-sdk recipes', () => {
  it('names service and operation from the config and the command class', () => {
    class S3Client {
      config = { serviceId: 'S3' };
    }
    class NoIdClient {}
    class PutObjectCommand {}
    expect(serviceOf(new S3Client())).toBe('S3');
    expect(serviceOf(new NoIdClient())).toBe('NoId');
    expect(operationOf(new PutObjectCommand())).toBe('PutObject');
  });

  it('S3: the bucket, never the key', () => {
    const spec = awsCallSpec({ service: 'S3', operation: 'GetObject', input: { Bucket: 'b', Key: 'private/k' }, region: 'eu-west-1' });
    expect(spec).toEqual({
      name: 'S3.GetObject',
      kind: SpanKind.CLIENT,
      attributes: { 'rpc.system': 'aws-api', 'rpc.service': 'S3', 'rpc.method': 'GetObject', 'aws.s3.bucket': 'b', 'cloud.region': 'eu-west-1' },
    });
  });

  it('DynamoDB: the tables of single, batch and transaction calls', () => {
    expect(tableNamesOf({ TableName: 't' })).toEqual(['t']);
    expect(tableNamesOf({ RequestItems: { b: {}, a: {} } })).toEqual(['a', 'b']);
    expect(tableNamesOf({ TransactItems: [{ Put: { TableName: 'x' } }, { Update: { TableName: 'y' } }, { ConditionCheck: { TableName: 'x' } }] })).toEqual(['x', 'y']);
    expect(tableNamesOf({})).toBeUndefined();
    const spec = awsCallSpec({ service: 'DynamoDB', operation: 'Query', input: { TableName: 't', IndexName: 'i', Limit: 3, Select: 'COUNT', ExpressionAttributeValues: { ':v': { S: 'secret' } } }, region: undefined });
    expect(spec.attributes).toEqual({
      'rpc.system': 'aws-api',
      'rpc.service': 'DynamoDB',
      'rpc.method': 'Query',
      'db.system.name': 'aws.dynamodb',
      'aws.dynamodb.table_names': ['t'],
      'aws.dynamodb.index_name': 'i',
      'aws.dynamodb.limit': 3,
      'aws.dynamodb.select': 'COUNT',
    });
  });

  it('SQS and SNS: destinations; sends are PRODUCER spans, a receive is CLIENT; batches counted', () => {
    expect(queueNameOf('https://sqs.us-east-1.amazonaws.com/123/orders')).toBe('orders');
    expect(queueNameOf('http://127.0.0.1:9/000/q/')).toBe('q');
    expect(queueNameOf(undefined)).toBeUndefined();
    expect(topicNameOf({ TopicArn: 'arn:aws:sns:us-east-1:123:news' })).toBe('news');
    expect(topicNameOf({ PhoneNumber: '+15555550100' })).toBe('phone_number');
    const send = awsCallSpec({ service: 'SQS', operation: 'SendMessageBatch', input: { QueueUrl: 'http://h/1/q', Entries: [{}, {}] }, region: undefined });
    expect(send.kind).toBe(SpanKind.PRODUCER);
    expect(send.attributes).toMatchObject({
      'messaging.system': 'aws_sqs',
      'messaging.destination.name': 'q',
      'messaging.operation.type': 'send',
      'messaging.operation.name': 'SendMessageBatch',
      'messaging.batch.message_count': 2,
    });
    const receive = awsCallSpec({ service: 'SQS', operation: 'ReceiveMessage', input: { QueueUrl: 'http://h/1/q' }, region: undefined });
    expect(receive.kind).toBe(SpanKind.CLIENT);
    expect(receive.attributes!['messaging.operation.type']).toBe('receive');
    const other = awsCallSpec({ service: 'SQS', operation: 'GetQueueUrl', input: { QueueName: 'q' }, region: undefined });
    expect(other.kind).toBe(SpanKind.CLIENT);
    expect(other.attributes!['messaging.operation.type']).toBeUndefined();
    const publish = awsCallSpec({ service: 'SNS', operation: 'Publish', input: { TopicArn: 'arn:aws:sns:r:1:t', Message: 'm' }, region: undefined });
    expect(publish.kind).toBe(SpanKind.PRODUCER);
    expect(publish.attributes).toMatchObject({ 'messaging.system': 'aws_sns', 'messaging.destination.name': 't' });
    expect(processSpec({ queueUrl: 'http://h/1/q', messageId: 'm1' })).toEqual({
      name: 'process q',
      kind: SpanKind.CONSUMER,
      attributes: { 'messaging.system': 'aws_sqs', 'messaging.operation.name': 'process', 'messaging.operation.type': 'process', 'messaging.destination.name': 'q', 'messaging.message.id': 'm1' },
    });
  });

  it('results and errors: request ids, message ids, received counts', () => {
    expect(resultAttributes({ operation: 'SendMessage', output: { $metadata: { requestId: 'r1' }, MessageId: 'm' } })).toEqual({ 'aws.request_id': 'r1', 'messaging.message.id': 'm' });
    expect(resultAttributes({ operation: 'ReceiveMessage', output: { $metadata: {} } })).toEqual({ 'messaging.batch.message_count': 0 });
    expect(resultAttributes({ operation: 'PutObject', output: { $metadata: { requestId: 'r', extendedRequestId: 'x' } } })).toEqual({ 'aws.request_id': 'r', 'aws.extended_request_id': 'x' });
    expect(errorAttributes({ $metadata: { requestId: 'e1' } })).toEqual({ 'aws.request_id': 'e1' });
    expect(errorAttributes({ RequestId: 'old' })).toEqual({ 'aws.request_id': 'old' });
    expect(errorAttributes('boom')).toBeUndefined();
  });
});

describe('aws-sdk message attributes', () => {
  const carrier = { traceparent: '00-aa-bb-01', tracestate: 'k=v' };
  const attr = (v: string) => ({ DataType: 'String', StringValue: v });

  it('adds the context as String attributes to a copy; the app’s own kept', () => {
    const own = { a: attr('1'), traceparent: attr('app') };
    const out = withTraceContext(own, carrier)!;
    expect(out).toEqual({ a: attr('1'), traceparent: attr('app'), tracestate: attr('k=v') });
    expect(own).toEqual({ a: attr('1'), traceparent: attr('app') });
    expect(withTraceContext(undefined, carrier)).toEqual({ traceparent: attr('00-aa-bb-01'), tracestate: attr('k=v') });
  });

  it('never takes a message over 10 attributes', () => {
    const nine = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`a${i}`, attr('x')]));
    expect(withTraceContext(nine, carrier)).toBeUndefined();
    expect(Object.keys(withTraceContext(nine, { traceparent: 't' })!)).toHaveLength(10);
    const ten = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`a${i}`, attr('x')]));
    expect(withTraceContext(ten, { traceparent: 't' })).toBeUndefined();
  });

  it('asks a receive for the fields the app did not ask for', () => {
    const fields = ['traceparent', 'tracestate'];
    expect(namesToAdd(undefined, fields)).toEqual(fields);
    expect(namesToAdd(['a', 'tracestate'], fields)).toEqual(['traceparent']);
    expect(namesToAdd(['All'], fields)).toEqual([]);
    expect(namesToAdd(['.*'], fields)).toEqual([]);
    expect(namesToAdd(['trace.*'], fields)).toEqual(fields);
    expect(namesToAdd(['tr.*'], ['tr.x', 'other'])).toEqual(['other']);
  });

  it('takes the added names back out of received messages', () => {
    const messages = [
      { MessageId: '1', MessageAttributes: { traceparent: attr('t'), a: attr('1') }, MD5OfMessageAttributes: 'm' },
      { MessageId: '2', MessageAttributes: { traceparent: attr('t') }, MD5OfMessageAttributes: 'm' },
      { MessageId: '3' },
    ];
    removeAddedNames(messages, ['traceparent'], true);
    expect(messages).toEqual([{ MessageId: '1', MessageAttributes: { a: attr('1') }, MD5OfMessageAttributes: 'm' }, { MessageId: '2' }, { MessageId: '3' }]);
    const asked = [{ MessageAttributes: { traceparent: attr('t') } }];
    removeAddedNames(asked, ['traceparent'], false);
    expect(asked).toEqual([{ MessageAttributes: {} }]);
  });
});
