import { describe, expect, it } from 'vitest';
import { isWrapped } from '../../../src/instrument';
import { inParent, spansOf } from '../../helpers/spans';
import { nodeRequire, startTracing } from '../../helpers/tracing';
import { clientConfig, startDynamoDb } from './helpers';

// OTEL_NODE_DISABLED_INSTRUMENTATIONS=aws-sdk: the SDK must run exactly as unpatched.
const { agent, hooks } = startTracing({ disabled: ['aws-sdk'] });
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const { DynamoDBClient, ListTablesCommand } = nodeRequire('@aws-sdk/client-dynamodb') as any;

describe('aws-sdk disabled', () => {
  it('patches nothing, adds no middleware; no AWS span is recorded, the HTTP request is the caller’s child', async () => {
    expect(hooks.instrumentations).not.toContain('aws-sdk');
    expect(hooks.instrumentations).toContain('http');
    const ddb = await startDynamoDb();
    const client = new DynamoDBClient(clientConfig(ddb.url));
    let proto = Object.getPrototypeOf(client);
    while (!Object.prototype.hasOwnProperty.call(proto, 'send')) proto = Object.getPrototypeOf(proto);
    expect(isWrapped(proto.send)).toBe(false);
    const { result, parent } = await inParent(() => client.send(new ListTablesCommand({})));
    expect(result.TableNames).toEqual([]);
    expect(spansOf(agent, 'aws-sdk')).toEqual([]);
    const http = spansOf(agent, 'http').filter((s) => s.parentSpanId === parent.spanContext().spanId);
    expect(http.map((s) => s.name)).toEqual(['POST']);
    expect(client.middlewareStack.identify().join()).not.toContain('waymark');
    client.destroy();
    await ddb.close();
  });
});
