import { describe, expect, it } from 'vitest';
import type * as Amqp from 'amqplib';
import { isWrapped } from '../../../src/instrument';
import { inParent } from '../../helpers/spans';
import { nodeRequire, startTracing } from '../../helpers/tracing';
import { uniquePrefix } from '../../helpers/unique-prefix';

// OTEL_NODE_DISABLED_INSTRUMENTATIONS=amqplib: the library must run exactly as unpatched.
const { agent, hooks } = startTracing({ disabled: ['amqplib'] });
const amqp = nodeRequire('amqplib') as typeof Amqp;

describe('amqplib disabled', () => {
  it('patches nothing; messages go out exactly as built, no span is recorded', async () => {
    expect(hooks.instrumentations).not.toContain('amqplib');
    const conn = await amqp.connect('amqp://guest:guest@127.0.0.1:5672');
    const ch = await conn.createChannel();
    const proto = Object.getPrototypeOf(ch) as Record<string, unknown>;
    expect(isWrapped(proto.publish)).toBe(false);
    expect(isWrapped(proto.consume)).toBe(false);
    const q = uniquePrefix('amqp-off').replace(/:/g, '.') + 'q';
    await ch.assertQueue(q, { durable: false });
    const received = new Promise<Amqp.ConsumeMessage>((resolve) => {
      void ch.consume(q, (msg) => {
        if (msg === null) return;
        ch.ack(msg);
        resolve(msg);
      });
    });
    await inParent(async () => {
      ch.sendToQueue(q, Buffer.from('plain'), { headers: { a: 1 } });
    });
    const msg = await received;
    expect(msg.content.toString()).toBe('plain');
    expect(msg.properties.headers).toEqual({ a: 1 });
    expect(agent.finishedSpans().map((s) => s.name)).toEqual(['parent']);
    await ch.deleteQueue(q);
    await conn.close();
  });
});
