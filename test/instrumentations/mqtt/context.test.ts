import { describe, expect, it } from 'vitest';
import { SpanKind, trace } from '@opentelemetry/api';
import { inParent, spansOf, waitForSpans } from '../../helpers/spans';
import { startTracing } from '../../helpers/tracing';
import { uniquePrefix } from '../../helpers/unique-prefix';
import { connectClient, end, MQTT_LIBS, subscribe, type MqttLib } from './clients';

// MQTT 3.1.1 has no headers: a message is a topic and a payload, nothing else. A 3.1.1
// client's publish and message spans are made all the same, but no context travels: each
// received message starts a new trace. And a received message never inherits the context
// of whoever opened the connection (the client's socket events run in it).
const { agent } = startTracing();
const activeSpan = () => trace.getActiveSpan()?.spanContext().spanId;

/* eslint-disable @typescript-eslint/no-explicit-any */
function messages(client: any, n: number): Promise<{ body: string; active?: string; props: unknown }[]> {
  const got: { body: string; active?: string; props: unknown }[] = [];
  return new Promise((resolve) => {
    client.on('message', (_t: string, payload: Buffer, packet: any) => {
      got.push({ body: payload.toString(), active: activeSpan(), props: packet.properties });
      if (got.length === n) resolve(got);
    });
  });
}

describe.each(MQTT_LIBS)('$label', (lib: MqttLib) => {
  const base = () => `${uniquePrefix('mqttctx').replace(/[^A-Za-z0-9]/g, '_')}/${lib.id}`;

  it('MQTT 3.1.1: PRODUCER and CONSUMER spans, no context in the message; the CONSUMER span starts a new trace', async () => {
    agent.reset();
    const topic = `${base()}/v311`;
    const client = await connectClient(lib, 4);
    await subscribe(client, topic);
    const got = messages(client, 1);
    const { parent } = await inParent(() => new Promise<void>((resolve) => client.publish(topic, 'old', { qos: 1 }, () => resolve())));
    const [seen] = await got;
    await waitForSpans(agent, () => spansOf(agent, 'mqtt').length === 2);
    const producer = spansOf(agent, 'mqtt').find((s) => s.kind === SpanKind.PRODUCER)!;
    const consumer = spansOf(agent, 'mqtt').find((s) => s.kind === SpanKind.CONSUMER)!;
    expect(producer.parentSpanId).toBe(parent.spanContext().spanId);
    expect(seen!.props).toBeUndefined();
    expect(consumer.name).toBe(`process ${topic}`);
    expect(consumer.parentSpanId).toBeUndefined();
    expect(consumer.traceId).not.toBe(producer.traceId);
    expect(seen!.active).toBe(consumer.spanId);
    await end(client);
  });

  it('a message from a context-less publisher is not a child of the connection opener; one with context joins its producer', async () => {
    agent.reset();
    const topic = `${base()}/iso`;
    const { result: subscriber, parent: opener } = await inParent(() => connectClient(lib, 5), 'opener');
    await inParent(() => subscribe(subscriber, topic), 'subscriber');
    const got = messages(subscriber, 2);
    const old = await connectClient(lib, 4);
    await new Promise<void>((resolve) => old.publish(topic, 'no-context', { qos: 1 }, () => resolve()));
    const modern = await connectClient(lib, 5);
    const { parent: request } = await inParent(() => new Promise<void>((resolve) => modern.publish(topic, 'with-context', { qos: 1 }, () => resolve())), 'other-request');
    const seen = await got;
    await waitForSpans(agent, () => spansOf(agent, 'mqtt').filter((s) => s.kind === SpanKind.CONSUMER).length === 2);
    const consumers = spansOf(agent, 'mqtt').filter((s) => s.kind === SpanKind.CONSUMER);
    const bare = consumers.find((s) => s.attributes['messaging.message.body.size'] === 'no-context'.length)!;
    const joined = consumers.find((s) => s.attributes['messaging.message.body.size'] === 'with-context'.length)!;
    const subscriberSpan = agent.finishedSpans().find((s) => s.name === 'subscriber')!;
    expect(bare.parentSpanId).toBeUndefined();
    expect([opener.spanContext().traceId, subscriberSpan.traceId, request.spanContext().traceId]).not.toContain(bare.traceId);
    expect(joined.traceId).toBe(request.spanContext().traceId);
    expect(seen.map((s) => s.active)).toEqual([bare.spanId, joined.spanId]);
    await Promise.all([end(subscriber), end(old), end(modern)]);
  });
});
