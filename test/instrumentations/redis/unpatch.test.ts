import { afterAll, describe, expect, it } from 'vitest';
import type IoRedis from 'ioredis';
import type * as Amqp from 'amqplib';
import { isWrapped } from '../../../src/instrument';
import { closeClient, nodeRedisMajors, type NodeRedis } from './clients';
import { inParent } from '../../helpers/spans';
import { nodeRequire, startTracing } from '../../helpers/tracing';
import { uniquePrefix } from '../../helpers/unique-prefix';

// Uninstalling the hooks restores every method we wrapped (ioredis, node-redis, amqplib);
// executors node-redis 4 attached while patched turn into pass-throughs.
const { agent, hooks } = startTracing();
const Redis = nodeRequire('ioredis') as typeof IoRedis & { Pipeline: { prototype: Record<string, unknown> } };
const amqp = nodeRequire('amqplib') as typeof Amqp;
const nodeClients: NodeRedis[] = nodeRedisMajors().map(([, create]) => create({ socket: { host: '127.0.0.1', port: 6379 } }));
const io = new Redis({ host: '127.0.0.1', port: 6379 });
afterAll(async () => {
  io.disconnect();
  for (const c of nodeClients) await closeClient(c);
});

describe('unpatch', () => {
  it('restores the originals and records nothing afterwards', async () => {
    for (const c of nodeClients) {
      c.on('error', () => {});
      await c.connect();
    }
    const conn = await amqp.connect('amqp://guest:guest@127.0.0.1:5672');
    const ch = await conn.createChannel();
    const channelProto = Object.getPrototypeOf(ch) as Record<string, unknown>;
    const wrapped = () => [
      isWrapped(Redis.prototype.sendCommand),
      isWrapped(Redis.prototype.connect),
      isWrapped(Redis.Pipeline.prototype.exec),
      isWrapped(Redis.Pipeline.prototype.sendCommand),
      ...nodeClients.flatMap((c) => [isWrapped(c.sendCommand), isWrapped(c.connect)]),
      isWrapped(channelProto.publish),
      isWrapped(channelProto.consume),
    ];
    expect(wrapped().every(Boolean)).toBe(true);

    hooks.uninstall();
    expect(wrapped().some(Boolean)).toBe(false);

    agent.reset();
    const k = `${uniquePrefix('unpatch')}k`;
    await inParent(async () => {
      await io.set(k, 'v');
      await io.pipeline().get(k).exec();
      for (const c of nodeClients) {
        await c.get(k);
        await c.multi().get(k).exec();
      }
      ch.sendToQueue(`${uniquePrefix('unpatch').replace(/:/g, '.')}none`, Buffer.from('x'));
      await io.del(k);
    });
    expect(agent.finishedSpans().map((s) => s.name)).toEqual(['parent']);
    await conn.close();
  });
});
