import { afterAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { closeClient, nodeRedisMajors, type NodeRedis } from './clients';
import { inParent, spansOf } from '../../helpers/spans';
import { startTracing } from '../../helpers/tracing';
import { uniquePrefix } from '../../helpers/unique-prefix';

const { agent } = startTracing();
const clients: Array<[NodeRedis, string]> = [];
afterAll(async () => {
  for (const [c, prefix] of clients) {
    const keys = await c.keys(`${prefix}*`);
    if (keys.length > 0) await c.del(keys);
    await closeClient(c);
  }
});

describe.each(nodeRedisMajors())('%s MULTI and pipelines', (_pkg, createClient) => {
  const prefix = uniquePrefix('redis-batch');
  const client = createClient({ socket: { host: '127.0.0.1', port: 6379 } });
  client.on('error', () => {});
  clients.push([client, prefix]);
  const connected = client.connect();
  const secret = `s3cret-${randomUUID()}`;

  it('multi().exec() is ONE span named MULTI with the command count', async () => {
    await connected;
    agent.reset();
    const k = `${prefix}m`;
    const { result, parent } = await inParent(() => client.multi().set(k, secret).incr(`${k}:n`).get(k).exec());
    expect(result).toEqual(['OK', 1, secret]);
    const spans = spansOf(agent, 'redis');
    expect(spans).toHaveLength(1);
    expect(spans[0]!.name).toBe('MULTI');
    expect(spans[0]!.kind).toBe(SpanKind.CLIENT);
    expect(spans[0]!.parentSpanId).toBe(parent.spanContext().spanId);
    expect(spans[0]!.attributes).toMatchObject({
      'db.system.name': 'redis',
      'db.operation.name': 'MULTI',
      'db.operation.batch.size': 3,
      'db.namespace': '0',
      'db.query.text': `SET ${k} ?; INCR ${k}:n; GET ${k}`,
    });
    expect(JSON.stringify(spans[0]!.attributes)).not.toContain(secret);
  });

  it('multi().execAsPipeline() is ONE span named PIPELINE', async () => {
    await connected;
    agent.reset();
    const k = `${prefix}p`;
    const { result } = await inParent(() => client.multi().set(k, secret).get(k).execAsPipeline());
    expect(result).toEqual(['OK', secret]);
    const spans = spansOf(agent, 'redis');
    expect(spans.map((s) => s.name)).toEqual(['PIPELINE']);
    expect(spans[0]!.attributes).toMatchObject({ 'db.operation.batch.size': 2, 'db.query.text': `SET ${k} ?; GET ${k}` });
  });

  it('a command failing inside a transaction or a pipeline marks the batch span ERROR', async () => {
    await connected;
    agent.reset();
    const k = `${prefix}e`;
    await client.hSet(k, { f: '1' }); // no parent: untraced
    const { result } = await inParent(async () => [
      await client.multi().incr(k).get(k).exec().then(() => 'ok', (e: Error) => e.name),
      await client.multi().incr(k).get(k).execAsPipeline().then(() => 'ok', (e: Error) => e.name),
    ]);
    expect(result).not.toContain('ok');
    const spans = spansOf(agent, 'redis');
    expect(spans.map((s) => s.name)).toEqual(['MULTI', 'PIPELINE']);
    for (const s of spans) {
      expect(s.status.code).toBe(SpanStatusCode.ERROR);
      expect(s.attributes['error.type']).toBe('WRONGTYPE');
    }
  });
});
