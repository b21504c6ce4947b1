import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { closeClient, nodeRedisMajors, type NodeRedis } from './clients';
import { inParent, spansOf } from '../../helpers/spans';
import { startTracing } from '../../helpers/tracing';
import { uniquePrefix } from '../../helpers/unique-prefix';

// Connection traffic (HELLO, AUTH, SELECT, CLIENT SETNAME/SETINFO, keep-alive pings,
// reconnects) must never produce spans, even when the client connects inside a span.
const { agent } = startTracing();
const opened: NodeRedis[] = [];
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const clean of cleanups) await clean();
  for (const c of opened) await closeClient(c);
});

function once(client: NodeRedis, event: string): Promise<void> {
  return new Promise((resolve) => client.once(event, () => resolve()));
}

describe.each(nodeRedisMajors())('%s: no spans without a parent', (_pkg, createClient) => {
  const prefix = uniquePrefix('redis-orphans');

  it('a client connected inside a span traces only the commands the code issues, no pings', async () => {
    agent.reset();
    const client = createClient({ socket: { host: '127.0.0.1', port: 6379 }, database: 2, name: 'wm-test', pingInterval: 20 });
    client.on('error', () => {});
    opened.push(client);
    const { parent } = await inParent(async () => {
      await client.connect();
      await client.get(`${prefix}k`);
    });
    await sleep(120); // several ping intervals
    const spans = spansOf(agent, 'redis');
    expect(spans.map((s) => s.name)).toEqual(['GET']);
    expect(spans[0]!.parentSpanId).toBe(parent.spanContext().spanId);
    expect(spans[0]!.attributes['db.namespace']).toBe('2');
  });

  it('a reconnect (server-side kill) makes no spans, and a command sent meanwhile makes exactly one', async () => {
    const admin = createClient({ socket: { host: '127.0.0.1', port: 6379 } });
    admin.on('error', () => {});
    opened.push(admin);
    await admin.connect();
    const client = createClient({ socket: { host: '127.0.0.1', port: 6379, reconnectStrategy: () => 20 }, database: 3 });
    client.on('error', () => {});
    opened.push(client);
    await inParent(() => client.connect());
    const id = await client.clientId(); // no parent: untraced
    agent.reset();
    const reconnecting = once(client, 'reconnecting');
    const ready = reconnecting.then(() => once(client, 'ready'));
    await admin.clientKill({ filter: 'ID', id });
    await reconnecting;
    const { parent, result } = await inParent(() => client.set(`${prefix}queued`, 'v'));
    cleanups.push(() => client.del(`${prefix}queued`));
    expect(result).toBe('OK');
    await ready;
    await sleep(50);
    const spans = spansOf(agent, 'redis');
    expect(spans.map((s) => s.name)).toEqual(['SET']);
    expect(spans[0]!.parentSpanId).toBe(parent.spanContext().spanId);
  });
});
