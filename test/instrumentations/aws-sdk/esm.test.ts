import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { attributeMap, startOtlpReceiver, type OtlpReceiver } from '../../helpers/otlp-receiver';
import { assertBuilt, FIXTURES } from '../../helpers/paths';
import { runNode } from '../../helpers/run-node';

// An ESM app (`import { S3Client } from '@aws-sdk/client-s3'`) under `node --import ./register.mjs`.
const KIND_CLIENT = 3;
let receiver: OtlpReceiver;
beforeAll(() => assertBuilt());
beforeEach(async () => {
  receiver = await startOtlpReceiver();
});
afterEach(async () => {
  await receiver.close();
});

function run(extra: Record<string, string> = {}) {
  const env = {
    OTEL_SERVICE_NAME: 'esm-aws',
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url,
    OTEL_BSP_SCHEDULE_DELAY: '50',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...extra,
  };
  return runNode(['--import', './register.mjs', join(FIXTURES, 'aws-esm.mjs')], { env });
}

describe('aws-sdk under --import ./register.mjs', () => {
  it('S3.PutObject and DynamoDB.PutItem under the app span, each with its HTTP request as its child', async () => {
    const { code, stderr } = await run();
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const spans = await receiver.waitForSpans(5);
    const root = spans.find((s) => s.name === 'esm-root')!;
    const put = spans.find((s) => s.name === 'S3.PutObject' && s.parentSpanId === root.spanId)!;
    const item = spans.find((s) => s.name === 'DynamoDB.PutItem')!;
    expect(put.kind).toBe(KIND_CLIENT);
    expect(item.parentSpanId).toBe(root.spanId);
    expect(attributeMap(put.attributes)).toMatchObject({ 'rpc.system': 'aws-api', 'aws.s3.bucket': 'esm-bucket', 'cloud.region': 'eu-west-1' });
    expect(attributeMap(item.attributes)).toMatchObject({ 'rpc.method': 'PutItem', 'aws.dynamodb.table_names': ['esm-table'] });
    const childrenOf = (parent: { spanId: string }) => spans.filter((s) => s.parentSpanId === parent.spanId).map((s) => [s.name, s.kind]);
    expect(childrenOf(put)).toEqual([['PUT', KIND_CLIENT]]);
    expect(childrenOf(item)).toEqual([['POST', KIND_CLIENT]]);
  });

  it('OTEL_NODE_DISABLED_INSTRUMENTATIONS=aws-sdk: no AWS span; the HTTP requests are the app span’s children', async () => {
    const { code, stderr } = await run({ OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'aws-sdk' });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    await receiver.waitForSpans(3);
    await new Promise((r) => setTimeout(r, 100));
    const all = receiver.spans();
    expect(all.filter((s) => s.scope.name === 'waymark/aws-sdk')).toEqual([]);
    const root = all.find((s) => s.name === 'esm-root')!;
    expect(all.filter((s) => s.parentSpanId === root.spanId && s.kind === KIND_CLIENT).map((s) => s.name).sort()).toEqual(['POST', 'PUT']);
  });
});
