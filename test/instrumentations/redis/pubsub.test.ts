import { afterAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { SpanKind, trace } from '@opentelemetry/api';
import { closeClient, nodeRedisMajors, type NodeRedis } from './clients';
import { inParent, spansOf } from '../../helpers/spans';
import { startTracing } from '../../helpers/tracing';
import { uniquePrefix } from '../../helpers/unique-prefix';

// Pub/sub on every major: PUBLISH is a command span (channel kept, message never exported);
// SUBSCRIBE/UNSUBSCRIBE go through the client's pub/sub queue, not `sendCommand`, and make
// no span; a message reaches its listener outside both the subscriber's and the
// publisher's traces (it arrives on the socket, which belongs to no request).
const { agent } = startTracing();
const opened: NodeRedis[] = [];
afterAll(async () => {
  for (const c of opened) await closeClient(c);
});

describe.each(nodeRedisMajors())('%s pub/sub', (_pkg, createClient) => {
  it('PUBLISH is one span without the message; subscribing makes none; delivery runs in no trace', async () => {
    const open = async () => {
      const c = createClient({ socket: { host: '127.0.0.1', port: 6379 } });
      c.on('error', () => {});
      opened.push(c);
      await c.connect();
      return c;
    };
    const [publisher, subscriber] = await Promise.all([open(), open()]);
    const channel = `${uniquePrefix('redis-pubsub')}chan`;
    const secret = `s3cret-${randomUUID()}`;
    let seen: { message: string; channel: string; activeTrace: string | undefined } | undefined;
    const delivered = new Promise<void>((resolve) => {
      void inParent(
        () =>
          subscriber.subscribe(channel, (message, ch) => {
            seen = { message, channel: ch, activeTrace: trace.getActiveSpan()?.spanContext().traceId };
            resolve();
          }),
        'subscriber-request',
      );
    });
    await new Promise((r) => setTimeout(r, 50)); // the SUBSCRIBE has reached the server
    agent.reset();
    const { result: receivers, parent } = await inParent(() => publisher.publish(channel, secret), 'publisher-request');
    await delivered;
    expect(receivers).toBe(1);
    expect(seen).toEqual({ message: secret, channel, activeTrace: undefined });
    await inParent(() => subscriber.unsubscribe(channel), 'unsubscribe-request');
    const spans = spansOf(agent, 'redis');
    expect(spans.map((s) => s.name)).toEqual(['PUBLISH']);
    expect(spans[0]!.kind).toBe(SpanKind.CLIENT);
    expect(spans[0]!.parentSpanId).toBe(parent.spanContext().spanId);
    expect(spans[0]!.attributes['db.query.text']).toBe(`PUBLISH ${channel} ?`);
    expect(JSON.stringify(spans[0]!.attributes)).not.toContain(secret);
  });
});
