import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { isWrapped } from '../../../src/instrument';
import type { SpanRecord } from '../../../src/export/span-record';
import { inParent, spansOf, waitForSpans } from '../../helpers/spans';
import { startTracing } from '../../helpers/tracing';
import { uniquePrefix } from '../../helpers/unique-prefix';
import { connectClient, end, MQTT_LIBS, subscribe, type MqttLib } from './clients';

const { agent } = startTracing();
const SERVER = { 'server.address': '127.0.0.1', 'server.port': 1883 };
const byKind = (spans: SpanRecord[], kind: SpanKind) => spans.filter((s) => s.kind === kind);
function mqttSpans(n: number): Promise<SpanRecord[]> {
  return waitForSpans(agent, () => spansOf(agent, 'mqtt').length >= n).then(() => spansOf(agent, 'mqtt'));
}

/* eslint-disable @typescript-eslint/no-explicit-any */
interface Received {
  topic: string;
  body: string;
  props: Record<string, unknown> | undefined;
  active: string | undefined;
}
function nextMessage(client: any): Promise<Received> {
  return new Promise((resolve) => {
    client.once('message', (topic: string, payload: Buffer, packet: any) => {
      resolve({ topic, body: payload.toString(), props: packet.properties?.userProperties, active: trace.getActiveSpan()?.spanContext().spanId });
    });
  });
}

describe.each(MQTT_LIBS)('$label, MQTT 5', (lib: MqttLib) => {
  let client: any;
  const base = `${uniquePrefix('mqtt').replace(/[^A-Za-z0-9]/g, '_')}/${lib.id}`;

  beforeAll(async () => {
    client = await connectClient(lib, 5);
  });
  afterAll(async () => {
    await end(client);
  });

  it('patches publish and gives the client class its own emit', () => {
    const proto = Object.getPrototypeOf(client) as Record<string, unknown>;
    expect(isWrapped(proto.publish)).toBe(true);
    expect(isWrapped(proto.emit)).toBe(true);
    expect(Object.prototype.hasOwnProperty.call(proto, 'emit')).toBe(true);
  });

  it('publish (QoS 1, callback) -> PRODUCER ended at the ack, context in a copy of the user properties; the message listener runs in its CONSUMER child', async () => {
    agent.reset();
    const topic = `${base}/cb`;
    await subscribe(client, topic);
    const got = nextMessage(client);
    const opts = { qos: 1 as const, properties: { userProperties: { 'x-app': 'kept' } } };
    const before = JSON.stringify(opts);
    let acked: { err: unknown; active: string | undefined } | undefined;
    const { parent } = await inParent(
      () =>
        new Promise<void>((resolve) => {
          const ret = client.publish(topic, 'hello', opts, (err: unknown) => {
            acked = { err, active: trace.getActiveSpan()?.spanContext().spanId };
            resolve();
          });
          expect(ret).toBe(client);
        }),
    );
    const seen = await got;
    const spans = await mqttSpans(2);
    const [producer] = byKind(spans, SpanKind.PRODUCER);
    const [consumer] = byKind(spans, SpanKind.CONSUMER);
    expect(JSON.stringify(opts)).toBe(before);
    // The app's callback: called once, without error, in the caller's context.
    expect(acked).toEqual({ err: null, active: parent.spanContext().spanId });

    expect(producer!.name).toBe(`publish ${topic}`);
    expect(producer!.parentSpanId).toBe(parent.spanContext().spanId);
    expect(producer!.attributes).toEqual({
      'messaging.system': 'mqtt',
      'messaging.destination.name': topic,
      'messaging.operation.name': 'publish',
      'messaging.operation.type': 'send',
      'messaging.message.body.size': 5,
      ...SERVER,
    });
    expect(seen.body).toBe('hello');
    expect(seen.props).toEqual({ 'x-app': 'kept', traceparent: `00-${producer!.traceId}-${producer!.spanId}-03` });

    expect(consumer!.name).toBe(`process ${topic}`);
    expect(consumer!.traceId).toBe(producer!.traceId);
    expect(consumer!.parentSpanId).toBe(producer!.spanId);
    expect(consumer!.parentIsRemote).toBe(true);
    expect(seen.active).toBe(consumer!.spanId);
    expect(consumer!.attributes).toEqual({
      'messaging.system': 'mqtt',
      'messaging.destination.name': topic,
      'messaging.operation.name': 'process',
      'messaging.operation.type': 'process',
      'messaging.message.body.size': 5,
      ...SERVER,
    });
  });

  it('QoS 2: the listener still runs in the CONSUMER span (emitted on PUBREL)', async () => {
    agent.reset();
    const topic = `${base}/qos2`;
    await subscribe(client, topic);
    const got = nextMessage(client);
    await inParent(() => new Promise<void>((resolve) => client.publish(topic, 'q2', { qos: 2 }, () => resolve())));
    const seen = await got;
    const spans = await mqttSpans(2);
    const [producer] = byKind(spans, SpanKind.PRODUCER);
    const [consumer] = byKind(spans, SpanKind.CONSUMER);
    expect(consumer!.parentSpanId).toBe(producer!.spanId);
    expect(seen.active).toBe(consumer!.spanId);
  });

  it('a wildcard subscription names the process span after the filter', async () => {
    agent.reset();
    await subscribe(client, `${base}/sensors/+/temp`);
    const got = nextMessage(client);
    await inParent(async () => client.publish(`${base}/sensors/7/temp`, '21'));
    await got;
    const spans = await mqttSpans(2);
    const [consumer] = byKind(spans, SpanKind.CONSUMER);
    expect(consumer!.name).toBe(`process ${base}/sensors/+/temp`);
    expect(consumer!.attributes).toMatchObject({
      'messaging.destination.name': `${base}/sensors/7/temp`,
      'messaging.destination.subscription.name': `${base}/sensors/+/temp`,
    });
  });

  it('publish without a callback: the span ends when publish returns; no argument is added', async () => {
    agent.reset();
    const topic = `${base}/nocb`;
    const args: unknown[][] = [];
    const { parent } = await inParent(async () => {
      const sendPacket = client._sendPacket;
      client._sendPacket = function (this: unknown, packet: unknown, cb: unknown) {
        args.push([packet, typeof cb]);
        return sendPacket.apply(this, arguments);
      };
      try {
        client.publish(topic, 'x');
      } finally {
        client._sendPacket = sendPacket;
      }
    });
    const [producer] = await mqttSpans(1);
    // The client got the packet without a callback of ours.
    expect(args).toHaveLength(1);
    expect(args[0]![1]).toBe('undefined');
    expect(producer!.parentSpanId).toBe(parent.spanContext().spanId);
    expect(producer!.endTime).toBeLessThanOrEqual(agent.finishedSpans().find((s) => s.name === 'parent')!.endTime);
  });

  it('a publish the client refuses (disconnecting, no callback) still emits `error` to the app, and the span ends', async () => {
    agent.reset();
    const other = await connectClient(lib, 5);
    const errors: string[] = [];
    other.on('error', (e: Error) => errors.push(e.message));
    other.disconnecting = true;
    await inParent(async () => other.publish(`${base}/refused`, 'x'));
    other.disconnecting = false;
    expect(errors).toEqual(['client disconnecting']);
    const [producer] = await mqttSpans(1);
    expect(producer!.status.code).not.toBe(SpanStatusCode.ERROR);
    await end(other);
  });

  it('a refused publish with a callback: the callback gets the error, the span records it', async () => {
    agent.reset();
    const other = await connectClient(lib, 5);
    other.disconnecting = true;
    let got: unknown;
    await inParent(async () => other.publish(`${base}/refused`, 'x', (err: unknown) => (got = err)));
    other.disconnecting = false;
    expect(got).toBeInstanceOf(Error);
    const [producer] = await mqttSpans(1);
    expect(producer!.status.code).toBe(SpanStatusCode.ERROR);
    await end(other);
  });
});

describe('mqtt 5 publishAsync', () => {
  it('one PRODUCER span, ended by the ack; the promise is the client\'s', async () => {
    agent.reset();
    const client = await connectClient(MQTT_LIBS[1]!, 5);
    const topic = `${uniquePrefix('mqtt').replace(/[^A-Za-z0-9]/g, '_')}/async`;
    const { result } = await inParent(async () => client.publishAsync(topic, 'a', { qos: 1 }));
    expect(result).toMatchObject({ cmd: 'publish', topic });
    const spans = await mqttSpans(1);
    expect(spans.map((s) => s.name)).toEqual([`publish ${topic}`]);
    await end(client);
  });
});
