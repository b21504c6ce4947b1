import { afterAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { isWrapped } from '../../../src/instrument';
import { closeClient, nodeRedisMajors, type NodeRedis } from './clients';
import { inParent, spansOf } from '../../helpers/spans';
import { startTracing } from '../../helpers/tracing';
import { uniquePrefix } from '../../helpers/unique-prefix';

const { agent } = startTracing();
const MAJORS = nodeRedisMajors();
const clients: Array<[NodeRedis, string]> = [];
afterAll(async () => {
  for (const [c, prefix] of clients) {
    const keys = await c.keys(`${prefix}*`);
    if (keys.length > 0) await c.del(keys);
    await closeClient(c);
  }
});

describe.each(MAJORS)('%s commands', (_pkg, createClient) => {
  const prefix = uniquePrefix('redis');
  const client = createClient({ url: 'redis://127.0.0.1:6379/4' });
  client.on('error', () => {});
  clients.push([client, prefix]);
  const connected = client.connect();

  it('is patched', async () => {
    await connected;
    expect(isWrapped(client.sendCommand)).toBe(true);
    expect(isWrapped(client.connect)).toBe(true);
  });

  it('makes one CLIENT span per command under the active parent, with the db attributes', async () => {
    await connected;
    agent.reset();
    const key = `${prefix}shape`;
    const { result, parent } = await inParent(async () => {
      await client.set(key, 'v');
      return client.get(key);
    });
    expect(result).toBe('v');
    const spans = spansOf(agent, 'redis');
    expect(spans.map((s) => s.name)).toEqual(['SET', 'GET']);
    for (const s of spans) {
      expect(s.kind).toBe(SpanKind.CLIENT);
      expect(s.traceId).toBe(parent.spanContext().traceId);
      expect(s.parentSpanId).toBe(parent.spanContext().spanId);
      expect(s.status.code).toBe(SpanStatusCode.UNSET);
    }
    expect(spans[1]!.attributes).toEqual({
      'db.system.name': 'redis',
      'db.operation.name': 'GET',
      'db.query.text': `GET ${key}`,
      'db.namespace': '4',
      'server.address': '127.0.0.1',
      'server.port': 6379,
    });
    expect(spans[0]!.attributes['db.query.text']).toBe(`SET ${key} ?`);
  });

  it('traces raw sendCommand the same way', async () => {
    await connected;
    agent.reset();
    const key = `${prefix}raw`;
    await inParent(() => client.sendCommand(['SET', key, 'secret-raw']));
    const spans = spansOf(agent, 'redis');
    expect(spans.map((s) => [s.name, s.attributes['db.query.text']])).toEqual([['SET', `SET ${key} ?`]]);
  });

  it('never puts values in db.query.text', async () => {
    await connected;
    agent.reset();
    const secret = `s3cret-${randomUUID()}`;
    const k = `${prefix}values`;
    await inParent(async () => {
      await client.set(k, secret, { EX: 60 });
      await client.hSet(`${k}:h`, { field: secret, other: secret });
      await client.mSet([
        [`${k}:a`, secret],
        [`${k}:b`, secret],
      ]);
      await client.lPush(`${k}:l`, secret);
      await client.publish(`${k}:chan`, secret);
      await client.eval(`return '${secret}'`, { keys: [k], arguments: [secret] });
    });
    const spans = spansOf(agent, 'redis');
    expect(spans).toHaveLength(6);
    for (const s of spans) expect(JSON.stringify(s.attributes)).not.toContain(secret);
    expect(spans.map((s) => s.attributes['db.query.text'])).toEqual([
      `SET ${k} ? ? ?`,
      `HSET ${k}:h field ? other ?`,
      `MSET ${k}:a ? ${k}:b ?`,
      `LPUSH ${k}:l ?`,
      `PUBLISH ${k}:chan ?`,
      `EVAL ? 1 ${k} ?`,
    ]);
  });

  it('records a server error (wrong type) as ERROR with its prefix, and rejects the caller unchanged', async () => {
    await connected;
    agent.reset();
    const key = `${prefix}wrongtype`;
    await client.hSet(key, { f: '1' }); // no parent: untraced
    const { result: err } = await inParent(() => client.incr(key).then(() => undefined, (e: unknown) => e));
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/^WRONGTYPE /);
    const [span] = spansOf(agent, 'redis');
    expect(span!.name).toBe('INCR');
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.attributes['error.type']).toBe('WRONGTYPE');
    expect(span!.attributes['db.response.status_code']).toBe('WRONGTYPE');
    expect(span!.events.map((e) => e.name)).toEqual(['exception']);
  });

  it('makes no span for a command issued without an active parent', async () => {
    await connected;
    agent.reset();
    await client.set(`${prefix}orphan`, '1');
    await client.get(`${prefix}orphan`);
    await client.multi().get(`${prefix}orphan`).exec();
    expect(agent.finishedSpans()).toHaveLength(0);
  });
});
