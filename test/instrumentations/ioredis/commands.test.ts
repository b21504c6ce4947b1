import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { isWrapped } from '../../../src/instrument';
import { cleanedUpClients, ioredisMajors } from './majors';
import { inParent, spansOf } from '../../helpers/spans';
import { nodeRequire, startTracing } from '../../helpers/tracing';
import { uniquePrefix } from '../../helpers/unique-prefix';

const { agent } = startTracing();
const MAJORS = ioredisMajors();

const clients = cleanedUpClients();

describe.each(MAJORS)('%s commands', (pkg, Redis) => {
  const prefix = uniquePrefix('ioredis');
  const redis = new Redis({ host: '127.0.0.1', port: 6379, db: 0, lazyConnect: false });
  clients.push([redis, prefix]);

  it('is patched', () => {
    expect(isWrapped(Redis.prototype.sendCommand)).toBe(true);
    expect(isWrapped(Redis.prototype.connect)).toBe(true);
    expect(isWrapped((nodeRequire(pkg) as { Pipeline: { prototype: { exec: unknown } } }).Pipeline.prototype.exec)).toBe(true);
  });

  it('makes one CLIENT span per command under the active parent, with the db attributes', async () => {
    agent.reset();
    const key = `${prefix}shape`;
    const { result, parent } = await inParent(async () => {
      await redis.set(key, 'v');
      return redis.get(key);
    });
    expect(result).toBe('v');
    const spans = spansOf(agent, 'ioredis');
    expect(spans.map((s) => s.name)).toEqual(['SET', 'GET']);
    const ids = parent.spanContext();
    for (const s of spans) {
      expect(s.kind).toBe(SpanKind.CLIENT);
      expect(s.traceId).toBe(ids.traceId);
      expect(s.parentSpanId).toBe(ids.spanId);
      expect(s.status.code).toBe(SpanStatusCode.UNSET);
    }
    expect(spans[1]!.attributes).toEqual({
      'db.system.name': 'redis',
      'db.operation.name': 'GET',
      'db.query.text': `GET ${key}`,
      'db.namespace': '0',
      'server.address': '127.0.0.1',
      'server.port': 6379,
    });
    expect(spans[0]!.attributes['db.query.text']).toBe(`SET ${key} ?`);
  });

  it('never puts values in db.query.text', async () => {
    agent.reset();
    const secret = `s3cret-${randomUUID()}`;
    const k = `${prefix}values`;
    await inParent(async () => {
      await redis.set(k, secret, 'EX', 60);
      await redis.hset(`${k}:h`, 'field', secret, 'other', secret);
      await redis.mset(`${k}:a`, secret, `${k}:b`, secret);
      await redis.lpush(`${k}:l`, secret);
      await redis.publish(`${k}:chan`, secret);
      await redis.eval(`return '${secret}'`, 1, k, secret);
    });
    const spans = spansOf(agent, 'ioredis');
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
    agent.reset();
    const key = `${prefix}wrongtype`;
    await redis.hset(key, 'f', '1'); // no parent: untraced
    const { result: err } = await inParent(() => redis.incr(key).then(() => undefined, (e: unknown) => e));
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).toBe('ReplyError');
    const [span] = spansOf(agent, 'ioredis');
    expect(span!.name).toBe('INCR');
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.status.message).toBe((err as Error).message);
    expect(span!.attributes['error.type']).toBe('WRONGTYPE');
    expect(span!.attributes['db.response.status_code']).toBe('WRONGTYPE');
    expect(span!.events.map((e) => e.name)).toEqual(['exception']);
  });

  it('keeps the caller context in node-style callbacks', async () => {
    agent.reset();
    const key = `${prefix}cb`;
    const seen = await inParent(
      (parent) =>
        new Promise<{ active: string | undefined; expected: string; value: unknown }>((resolve, reject) => {
          redis.set(key, 'x', (err) => {
            if (err) return reject(err);
            redis.get(key, (err2, value) => {
              if (err2) return reject(err2);
              resolve({ active: trace.getActiveSpan()?.spanContext().spanId, expected: parent.spanContext().spanId, value });
            });
          });
        }),
    );
    expect(seen.result.value).toBe('x');
    expect(seen.result.active).toBe(seen.result.expected);
    expect(spansOf(agent, 'ioredis').map((s) => s.name)).toEqual(['SET', 'GET']);
  });

  it('makes no span for a command issued without an active parent', async () => {
    agent.reset();
    await redis.set(`${prefix}orphan`, '1');
    await redis.get(`${prefix}orphan`);
    await redis.pipeline().get(`${prefix}orphan`).exec();
    expect(agent.finishedSpans()).toHaveLength(0);
  });
});
