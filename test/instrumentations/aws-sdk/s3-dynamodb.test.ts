import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { inParent, pollSpans, spansOf } from '../../helpers/spans';
import { testedPackages } from '../../helpers/registry';
import { nodeRequire, startTracing } from '../../helpers/tracing';
import { clientConfig, httpClientSpans, startDynamoDb, startS3 } from './helpers';

// Real SDK clients (the oldest and newest supported) against s3rver and dynalite, with the
// http instrumentation on: the SDK's own request must be the AWS span's child.
const { agent, hooks } = startTracing({ enabled: ['http', 'aws-sdk'] });
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

let s3: Awaited<ReturnType<typeof startS3>>;
let ddb: Awaited<ReturnType<typeof startDynamoDb>>;
beforeAll(async () => {
  s3 = await startS3();
  ddb = await startDynamoDb();
});
afterAll(async () => {
  await s3.close();
  await ddb.close();
});
beforeEach(() => agent.reset());

const awsSpan = (name: string) => pollSpans(agent, (spans) => spans.find((s) => s.name === name && s.scope.name === 'waymark/aws-sdk'), name);

describe('aws-sdk', () => {
  it('is hooked', () => {
    expect(hooks.instrumentations).toContain('aws-sdk');
  });

  for (const pkg of testedPackages('aws-sdk').filter((p) => p.name === '@aws-sdk/client-s3')) {
    describe(`S3 (${pkg.id} ${pkg.version})`, () => {
      const { S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand } = nodeRequire(pkg.id) as Any;
      const bucket = `wm-${pkg.version.replace(/\./g, '-')}-${process.pid}`;
      const client = () => new S3Client({ ...clientConfig(s3.url), forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED' });

      it('PutObject: one CLIENT span S3.PutObject under the caller, the HTTP request its child', async () => {
        const c = client();
        await c.send(new CreateBucketCommand({ Bucket: bucket }));
        agent.reset();
        const { parent, result } = await inParent(() => c.send(new PutObjectCommand({ Bucket: bucket, Key: 'secret/key.txt', Body: 'hello' })));
        const span = await awsSpan('S3.PutObject');
        expect(span.kind).toBe(SpanKind.CLIENT);
        expect(span.parentSpanId).toBe(parent.spanContext().spanId);
        expect(span.attributes).toMatchObject({
          'rpc.system': 'aws-api',
          'rpc.service': 'S3',
          'rpc.method': 'PutObject',
          'aws.s3.bucket': bucket,
          'cloud.region': 'us-east-1',
        });
        // s3rver answers a PutObject without a request id; DynamoDB's test sees one.
        expect(span.attributes['aws.request_id']).toBe((result as Any).$metadata.requestId);
        // The object key is the app's data: not recorded.
        expect(JSON.stringify(span.attributes)).not.toContain('secret/key.txt');
        const http = httpClientSpans(agent.finishedSpans());
        expect(http).toHaveLength(1);
        expect(http[0]!.parentSpanId).toBe(span.spanId);
        expect(spansOf(agent, 'aws-sdk')).toHaveLength(1);
        c.destroy();
      });

      it('a service error: status ERROR, error.type the service error name, the request id; the app gets the same error', async () => {
        const c = client();
        const err = await c.send(new GetObjectCommand({ Bucket: bucket, Key: 'missing' })).catch((e: unknown) => e);
        expect((err as Error).name).toBe('NoSuchKey');
        const span = await awsSpan('S3.GetObject');
        expect(span.status.code).toBe(SpanStatusCode.ERROR);
        expect(span.attributes['error.type']).toBe('NoSuchKey');
        expect(span.attributes['aws.request_id']).toBe((err as { $metadata: { requestId: string } }).$metadata.requestId);
        expect(span.events.map((e) => e.name)).toContain('exception');
        c.destroy();
      });

      it('the callback form: the callback gets the output in the caller context, the span ends', async () => {
        const c = client();
        const seen = await inParent(
          () =>
            new Promise<{ etag: unknown; active: string | undefined }>((resolve, reject) => {
              c.send(new PutObjectCommand({ Bucket: bucket, Key: 'cb', Body: 'x' }), (err: unknown, out: Any) => {
                if (err) reject(err);
                else resolve({ etag: out.ETag, active: (nodeRequire('@opentelemetry/api') as Any).trace.getActiveSpan()?.spanContext().spanId });
              });
            }),
        );
        expect(seen.result.etag).toEqual(expect.any(String));
        expect(seen.result.active).toBe(seen.parent.spanContext().spanId);
        const span = await awsSpan('S3.PutObject');
        expect(span.parentSpanId).toBe(seen.parent.spanContext().spanId);
        c.destroy();
      });
    });
  }

  for (const pkg of testedPackages('aws-sdk').filter((p) => p.name === '@aws-sdk/client-dynamodb')) {
    describe(`DynamoDB (${pkg.id} ${pkg.version})`, () => {
      const { DynamoDBClient, CreateTableCommand, PutItemCommand, QueryCommand, BatchGetItemCommand } = nodeRequire(pkg.id) as Any;
      const table = `wm-${pkg.version.replace(/\./g, '-')}-${process.pid}`;

      it('Query: DynamoDB.Query with aws.dynamodb.table_names, the HTTP request its child; item values not recorded', async () => {
        const c = new DynamoDBClient(clientConfig(ddb.url));
        await c.send(
          new CreateTableCommand({
            TableName: table,
            AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
            KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
            BillingMode: 'PAY_PER_REQUEST',
          }),
        );
        await c.send(new PutItemCommand({ TableName: table, Item: { id: { S: 'user-42' }, email: { S: 'a@b.c' } } }));
        agent.reset();
        const { result, parent } = await inParent(() =>
          c.send(
            new QueryCommand({
              TableName: table,
              KeyConditionExpression: 'id = :id',
              ExpressionAttributeValues: { ':id': { S: 'user-42' } },
              ConsistentRead: true,
              Limit: 5,
            }),
          ),
        );
        expect((result as Any).Count).toBe(1);
        const span = await awsSpan('DynamoDB.Query');
        expect(span.kind).toBe(SpanKind.CLIENT);
        expect(span.parentSpanId).toBe(parent.spanContext().spanId);
        expect(span.attributes).toMatchObject({
          'rpc.system': 'aws-api',
          'rpc.service': 'DynamoDB',
          'rpc.method': 'Query',
          'db.system.name': 'aws.dynamodb',
          'aws.dynamodb.table_names': [table],
          'aws.dynamodb.consistent_read': true,
          'aws.dynamodb.limit': 5,
          'cloud.region': 'us-east-1',
        });
        expect(span.attributes['aws.request_id']).toEqual(expect.any(String));
        expect(JSON.stringify(span.attributes)).not.toContain('user-42');
        const http = httpClientSpans(agent.finishedSpans());
        expect(http).toHaveLength(1);
        expect(http[0]!.parentSpanId).toBe(span.spanId);

        await c.send(new BatchGetItemCommand({ RequestItems: { [table]: { Keys: [{ id: { S: 'user-42' } }] } } }));
        expect((await awsSpan('DynamoDB.BatchGetItem')).attributes['aws.dynamodb.table_names']).toEqual([table]);
        c.destroy();
      });

      it('a missing table: ERROR with ResourceNotFoundException and the request id', async () => {
        const c = new DynamoDBClient(clientConfig(ddb.url));
        const err = await c.send(new QueryCommand({ TableName: `${table}-none`, KeyConditionExpression: 'id = :id', ExpressionAttributeValues: { ':id': { S: 'x' } } })).catch((e: unknown) => e);
        expect((err as Error).name).toBe('ResourceNotFoundException');
        const span = await awsSpan('DynamoDB.Query');
        expect(span.status.code).toBe(SpanStatusCode.ERROR);
        expect(span.attributes['error.type']).toBe('ResourceNotFoundException');
        expect(span.attributes['aws.request_id']).toBe((err as { $metadata: { requestId: string } }).$metadata.requestId);
        c.destroy();
      });
    });
  }
});
