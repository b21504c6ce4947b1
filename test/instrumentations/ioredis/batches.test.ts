import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { cleanedUpClients, ioredisMajors } from './majors';
import { inParent, spansOf } from '../../helpers/spans';
import { startTracing } from '../../helpers/tracing';
import { uniquePrefix } from '../../helpers/unique-prefix';

const { agent } = startTracing();
const MAJORS = ioredisMajors();

const clients = cleanedUpClients();

describe.each(MAJORS)('%s pipelines and MULTI', (_pkg, Redis) => {
  const prefix = uniquePrefix('ioredis-batch');
  const redis = new Redis({ host: '127.0.0.1', port: 6379, db: 1 });
  clients.push([redis, prefix]);
  const secret = `s3cret-${randomUUID()}`;

  it('a pipeline is ONE span with the command count, no per-command spans', async () => {
    agent.reset();
    const k = `${prefix}p`;
    const { result, parent } = await inParent(() => redis.pipeline().set(k, secret).get(k).hset(`${k}:h`, 'f', secret).exec());
    expect(result!.map(([err]) => err)).toEqual([null, null, null]);
    const spans = spansOf(agent, 'ioredis');
    expect(spans).toHaveLength(1);
    const [span] = spans;
    expect(span!.name).toBe('PIPELINE');
    expect(span!.kind).toBe(SpanKind.CLIENT);
    expect(span!.parentSpanId).toBe(parent.spanContext().spanId);
    expect(span!.status.code).toBe(SpanStatusCode.UNSET);
    expect(span!.attributes).toMatchObject({
      'db.system.name': 'redis',
      'db.operation.name': 'PIPELINE',
      'db.operation.batch.size': 3,
      'db.namespace': '1',
      'db.query.text': `SET ${k} ?; GET ${k}; HSET ${k}:h f ?`,
    });
    expect(JSON.stringify(span!.attributes)).not.toContain(secret);
  });

  it('MULTI/EXEC is ONE span named MULTI, counting the queued commands only', async () => {
    agent.reset();
    const k = `${prefix}m`;
    const { result } = await inParent(() => redis.multi().set(k, secret).incr(`${k}:n`).get(k).exec());
    expect(result).toEqual([
      [null, 'OK'],
      [null, 1],
      [null, secret],
    ]);
    const spans = spansOf(agent, 'ioredis');
    expect(spans.map((s) => s.name)).toEqual(['MULTI']);
    expect(spans[0]!.attributes).toMatchObject({
      'db.operation.name': 'MULTI',
      'db.operation.batch.size': 3,
      'db.query.text': `SET ${k} ?; INCR ${k}:n; GET ${k}`,
    });
    expect(JSON.stringify(spans[0]!.attributes)).not.toContain(secret);
  });

  it('a command failing inside a pipeline or a transaction marks the batch span ERROR', async () => {
    agent.reset();
    const k = `${prefix}e`;
    await redis.hset(k, 'f', '1'); // no parent: untraced
    await inParent(async () => {
      await redis.pipeline().incr(k).get(k).exec();
      await redis.multi().incr(k).get(k).exec();
    });
    const spans = spansOf(agent, 'ioredis');
    expect(spans.map((s) => s.name)).toEqual(['PIPELINE', 'MULTI']);
    for (const s of spans) {
      expect(s.status.code).toBe(SpanStatusCode.ERROR);
      expect(s.attributes['error.type']).toBe('WRONGTYPE');
    }
  });

  it('auto-pipelined commands get one span each, under their own callers, and no PIPELINE span', async () => {
    const auto = new Redis({ host: '127.0.0.1', port: 6379, db: 1, enableAutoPipelining: true });
    clients.push([auto, prefix]);
    await auto.ping(); // connect, untraced
    agent.reset();
    const k = `${prefix}auto`;
    // Two concurrent "requests": their commands share one auto pipeline on the wire.
    const [a, b] = await Promise.all([
      inParent(() => auto.set(`${k}:a`, secret), 'request-a'),
      inParent(() => auto.get(`${k}:b`), 'request-b'),
    ]);
    const spans = spansOf(agent, 'ioredis');
    expect(spans.map((s) => s.name).sort()).toEqual(['GET', 'SET']);
    const set = spans.find((s) => s.name === 'SET')!;
    const get = spans.find((s) => s.name === 'GET')!;
    expect(set.parentSpanId).toBe(a.parent.spanContext().spanId);
    expect(get.parentSpanId).toBe(b.parent.spanContext().spanId);
    expect(set.attributes['db.query.text']).toBe(`SET ${k}:a ?`);
  });

  it('a single-command pipeline has no batch size (semconv: never 1)', async () => {
    agent.reset();
    await inParent(() => redis.pipeline().get(`${prefix}one`).exec());
    const [span] = spansOf(agent, 'ioredis');
    expect(span!.name).toBe('PIPELINE');
    expect(span!.attributes['db.operation.batch.size']).toBeUndefined();
  });
});
