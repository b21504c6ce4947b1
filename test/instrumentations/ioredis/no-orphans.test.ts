import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type IoRedis from 'ioredis';
import { ioredisMajors } from './majors';
import { inParent, spansOf } from '../../helpers/spans';
import { startTracing } from '../../helpers/tracing';
import { uniquePrefix } from '../../helpers/unique-prefix';

// Connection traffic (ready check INFO, SELECT, CLIENT SETNAME/SETINFO, reconnects) must never
// produce spans, even when the client is created inside a request's span.
const { agent } = startTracing();
const MAJORS = ioredisMajors();

const opened: IoRedis[] = [];
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const clean of cleanups) await clean();
  for (const c of opened) c.disconnect();
});

function ready(redis: IoRedis): Promise<void> {
  return new Promise((resolve) => redis.once('ready', () => resolve()));
}

describe.each(MAJORS)('%s: no spans without a parent', (_pkg, Redis) => {
  const prefix = uniquePrefix('ioredis-orphans');

  it('a client created inside a span traces only the commands the code issues', async () => {
    agent.reset();
    let redis!: IoRedis;
    const { parent } = await inParent(async () => {
      redis = new Redis({ host: '127.0.0.1', port: 6379, db: 2, connectionName: 'wm-test' });
      opened.push(redis);
      await ready(redis);
      await redis.get(`${prefix}k`);
    });
    await sleep(20);
    const spans = spansOf(agent, 'ioredis');
    expect(spans.map((s) => s.name)).toEqual(['GET']);
    expect(spans[0]!.parentSpanId).toBe(parent.spanContext().spanId);
    expect(spans[0]!.attributes['db.namespace']).toBe('2');
  });

  it('a reconnect (server-side kill) makes no spans, and a command queued meanwhile makes exactly one', async () => {
    const admin = new Redis({ host: '127.0.0.1', port: 6379 });
    opened.push(admin);
    let redis!: IoRedis;
    // Created under a parent: the reconnect must not hang its handshake on that old span.
    await inParent(async () => {
      redis = new Redis({ host: '127.0.0.1', port: 6379, db: 3, retryStrategy: () => 20 });
      opened.push(redis);
      await ready(redis);
    });
    const id = await redis.client('ID'); // no parent: untraced
    agent.reset();
    const reconnecting = new Promise((resolve) => redis.once('reconnecting', resolve));
    const reconnected = reconnecting.then(() => ready(redis));
    await admin.client('KILL', 'ID', String(id));
    await reconnecting;
    // Sent while disconnected: queued offline, written again by the ready handler.
    const { parent, result } = await inParent(() => redis.set(`${prefix}queued`, 'v'));
    cleanups.push(() => redis.del(`${prefix}queued`));
    expect(result).toBe('OK');
    await reconnected;
    await sleep(50);
    const spans = spansOf(agent, 'ioredis');
    expect(spans.map((s) => s.name)).toEqual(['SET']);
    expect(spans[0]!.parentSpanId).toBe(parent.spanContext().spanId);
  });
});
