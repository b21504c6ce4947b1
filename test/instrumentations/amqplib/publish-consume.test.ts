import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type * as Amqp from 'amqplib';
import type * as AmqpCb from 'amqplib/callback_api';
import { isWrapped } from '../../../src/instrument';
import { withoutTracing } from '../../../src/suppress';
import type { SpanRecord } from '../../../src/export/span-record';
import { inParent, spansOf, waitForSpans } from '../../helpers/spans';
import { nodeRequire, startTracing } from '../../helpers/tracing';
import { uniquePrefix } from '../../helpers/unique-prefix';

const { agent } = startTracing();
const amqp = nodeRequire('amqplib') as typeof Amqp;
const amqpCb = nodeRequire('amqplib/callback_api') as typeof AmqpCb;
const URL = 'amqp://guest:guest@127.0.0.1:5672';
const prefix = uniquePrefix('amqp').replace(/:/g, '.');

let conn: Amqp.ChannelModel;
let ch: Amqp.Channel;
const queues: string[] = [];
const exchanges: string[] = [];

beforeAll(async () => {
  conn = await amqp.connect(URL);
  ch = await conn.createChannel();
});
afterAll(async () => {
  for (const q of queues) await ch.deleteQueue(q);
  for (const x of exchanges) await ch.deleteExchange(x);
  await conn.close();
});

async function queue(name: string): Promise<string> {
  const q = `${prefix}${name}`;
  await ch.assertQueue(q, { durable: false });
  queues.push(q);
  return q;
}

/** Consumes `n` messages from `q` with `handler`, resolves with what the handler returned. */
function consumeN<T>(q: string, n: number, handler: (msg: Amqp.ConsumeMessage) => T | Promise<T>): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const got: T[] = [];
    ch.consume(q, async (msg) => {
      if (msg === null) return;
      try {
        got.push(await handler(msg));
        ch.ack(msg);
        if (got.length === n) resolve(got);
      } catch (err) {
        reject(err);
      }
    }).catch(reject);
  });
}

function only(spans: SpanRecord[], kind: SpanKind): SpanRecord {
  const found = spans.filter((s) => s.kind === kind);
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe('amqplib promise API', () => {
  it('is patched', () => {
    const proto = Object.getPrototypeOf(ch) as Record<string, unknown>;
    expect(isWrapped(proto.publish)).toBe(true);
    expect(isWrapped(proto.consume)).toBe(true);
  });

  it('sendToQueue -> PRODUCER span with the context in the headers; consume -> CONSUMER child of it', async () => {
    agent.reset();
    const q = await queue('basic');
    const options = { messageId: 'msg-1', correlationId: 'conv-1', headers: { 'x-app': 'kept' } };
    const before = JSON.stringify(options);
    const headersObject = options.headers;
    const received = consumeN(q, 1, (msg) => ({
      headers: msg.properties.headers,
      active: trace.getActiveSpan()?.spanContext().spanId,
    }));
    const { parent } = await inParent(async () => {
      expect(ch.sendToQueue(q, Buffer.from('hello'), options)).toBe(true);
    });
    const [got] = await received;
    await waitForSpans(agent, (s) => s.filter((x) => x.scope.name === 'waymark/amqplib').length === 2);
    // The caller's objects are never touched.
    expect(JSON.stringify(options)).toBe(before);
    expect(options.headers).toBe(headersObject);

    const spans = spansOf(agent, 'amqplib');
    const producer = only(spans, SpanKind.PRODUCER);
    const consumer = only(spans, SpanKind.CONSUMER);
    expect(producer.name).toBe(`publish ${q}`);
    expect(producer.parentSpanId).toBe(parent.spanContext().spanId);
    expect(producer.attributes).toEqual({
      'messaging.system': 'rabbitmq',
      'messaging.operation.name': 'publish',
      'messaging.operation.type': 'send',
      'messaging.destination.name': '',
      'messaging.rabbitmq.destination.routing_key': q,
      'messaging.message.id': 'msg-1',
      'messaging.message.conversation_id': 'conv-1',
      'messaging.message.body.size': 5,
      'server.address': '127.0.0.1',
      'server.port': 5672,
    });
    expect(got!.headers).toMatchObject({ 'x-app': 'kept' });
    expect(got!.headers!.traceparent).toBe(`00-${producer.traceId}-${producer.spanId}-03`);

    expect(consumer.name).toBe(`process ${q}`);
    expect(consumer.traceId).toBe(producer.traceId);
    expect(consumer.parentSpanId).toBe(producer.spanId);
    expect(consumer.parentIsRemote).toBe(true);
    expect(got!.active).toBe(consumer.spanId);
    expect(consumer.attributes).toMatchObject({
      'messaging.system': 'rabbitmq',
      'messaging.operation.name': 'process',
      'messaging.operation.type': 'process',
      'messaging.destination.name': '',
      'messaging.rabbitmq.destination.routing_key': q,
      'messaging.message.id': 'msg-1',
      'messaging.message.body.size': 5,
      'server.address': '127.0.0.1',
      'server.port': 5672,
    });
    expect(typeof consumer.attributes['messaging.rabbitmq.message.delivery_tag']).toBe('number');
  });

  it('publish to an exchange names the span after the exchange and records the routing key', async () => {
    agent.reset();
    const x = `${prefix}exchange`;
    await ch.assertExchange(x, 'direct', { durable: false });
    exchanges.push(x);
    const q = await queue('bound');
    await ch.bindQueue(q, x, 'rk.one');
    const received = consumeN(q, 1, () => trace.getActiveSpan()?.spanContext().spanId);
    await inParent(async () => {
      ch.publish(x, 'rk.one', Buffer.from('{}'));
    });
    await received;
    await waitForSpans(agent, (s) => s.filter((x2) => x2.scope.name === 'waymark/amqplib').length === 2);
    const spans = spansOf(agent, 'amqplib');
    const producer = only(spans, SpanKind.PRODUCER);
    const consumer = only(spans, SpanKind.CONSUMER);
    expect(producer.name).toBe(`publish ${x}`);
    expect(producer.attributes['messaging.destination.name']).toBe(x);
    expect(producer.attributes['messaging.rabbitmq.destination.routing_key']).toBe('rk.one');
    expect(consumer.name).toBe(`process ${x}`);
    expect(consumer.parentSpanId).toBe(producer.spanId);
  });

  it('the CONSUMER span stays active through an async callback and ends when it settles', async () => {
    agent.reset();
    const q = await queue('async');
    const received = consumeN(q, 1, async () => {
      const before = trace.getActiveSpan()?.spanContext().spanId;
      await new Promise((r) => setTimeout(r, 30));
      const child = trace.getTracer('test').startSpan('work');
      child.end();
      return { before, after: trace.getActiveSpan()?.spanContext().spanId };
    });
    ch.sendToQueue(q, Buffer.from('x'));
    const [seen] = await received;
    await waitForSpans(agent, (s) => s.some((x) => x.kind === SpanKind.CONSUMER));
    const consumer = only(spansOf(agent, 'amqplib'), SpanKind.CONSUMER);
    const work = agent.finishedSpans().find((s) => s.name === 'work')!;
    expect(seen!.before).toBe(consumer.spanId);
    expect(seen!.after).toBe(consumer.spanId);
    expect(work.parentSpanId).toBe(consumer.spanId);
    expect(consumer.endTime - consumer.startTime).toBeGreaterThanOrEqual(25);
  });

  it('a message without trace context starts a new trace, whatever context opened the connection', async () => {
    agent.reset();
    // A connection opened inside a span: its socket callbacks run in that span's context.
    const { result: own } = await inParent(async () => {
      const c = await amqp.connect(URL);
      return { c, ch2: await c.createChannel() };
    }, 'opener');
    const q = await queue('noctx');
    const received = new Promise<void>((resolve) => {
      void own.ch2.consume(q, (msg) => {
        if (msg === null) return;
        own.ch2.ack(msg);
        resolve();
      });
    });
    withoutTracing(() => ch.sendToQueue(q, Buffer.from('x'), { headers: { other: 1 } }));
    await received;
    await waitForSpans(agent, (s) => s.some((x) => x.kind === SpanKind.CONSUMER));
    const consumer = only(spansOf(agent, 'amqplib'), SpanKind.CONSUMER);
    const opener = agent.finishedSpans().find((s) => s.name === 'opener')!;
    expect(consumer.parentSpanId).toBeUndefined();
    expect(consumer.traceId).not.toBe(opener.traceId);
    expect(spansOf(agent, 'amqplib').filter((s) => s.kind === SpanKind.PRODUCER)).toHaveLength(0);
    await own.c.close();
  });

  it('a ConfirmChannel publish makes one PRODUCER span and still gets its confirm', async () => {
    agent.reset();
    const q = await queue('confirm');
    const confirm = await conn.createConfirmChannel();
    const acked = await inParent(
      () => new Promise<unknown>((resolve) => confirm.sendToQueue(q, Buffer.from('c'), { messageId: 'c1' }, (err) => resolve(err))),
    );
    expect(acked.result).toBeNull();
    const producers = spansOf(agent, 'amqplib').filter((s) => s.kind === SpanKind.PRODUCER);
    expect(producers.map((s) => s.name)).toEqual([`publish ${q}`]);
    expect(producers[0]!.parentSpanId).toBe(acked.parent.spanContext().spanId);
    await confirm.close();
  });

  it('a publish that throws (closed channel) records the error and rethrows the same error', async () => {
    agent.reset();
    const closed = await conn.createChannel();
    await closed.close();
    let thrown: unknown;
    await inParent(async () => {
      try {
        closed.sendToQueue(`${prefix}nowhere`, Buffer.from('x'));
      } catch (err) {
        thrown = err;
      }
    });
    expect(thrown).toBeInstanceOf(Error);
    const [span] = spansOf(agent, 'amqplib');
    expect(span!.kind).toBe(SpanKind.PRODUCER);
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.status.message).toBe((thrown as Error).message);
  });

  it('the broker cancelling a consumer (null message) reaches the callback untouched', async () => {
    const q = await queue('cancelled');
    const seen = new Promise<unknown>((resolve) => {
      void ch.consume(q, (msg) => resolve(msg));
    });
    await ch.deleteQueue(q);
    expect(await seen).toBeNull();
  });
});

describe('amqplib callback API', () => {
  it('publish and consume through amqplib/callback_api are traced the same way', async () => {
    agent.reset();
    const q = `${prefix}cb`;
    const c = await new Promise<AmqpCb.Connection>((res, rej) => amqpCb.connect(URL, (err, cc) => (err ? rej(err) : res(cc))));
    const cch = await new Promise<AmqpCb.Channel>((res, rej) => c.createChannel((err, x) => (err ? rej(err) : res(x))));
    expect(isWrapped((Object.getPrototypeOf(cch) as Record<string, unknown>).publish)).toBe(true);
    await new Promise<void>((res, rej) => cch.assertQueue(q, { durable: false }, (err) => (err ? rej(err) : res())));
    const received = new Promise<string | undefined>((resolve) => {
      cch.consume(q, (msg) => {
        if (msg === null) return;
        cch.ack(msg);
        resolve(trace.getActiveSpan()?.spanContext().spanId);
      });
    });
    const { parent } = await inParent(async () => {
      cch.sendToQueue(q, Buffer.from('cb'));
    });
    const active = await received;
    await waitForSpans(agent, (s) => s.some((x) => x.kind === SpanKind.CONSUMER));
    const spans = spansOf(agent, 'amqplib');
    const producer = only(spans, SpanKind.PRODUCER);
    const consumer = only(spans, SpanKind.CONSUMER);
    expect(producer.parentSpanId).toBe(parent.spanContext().spanId);
    expect(consumer.parentSpanId).toBe(producer.spanId);
    expect(active).toBe(consumer.spanId);
    await new Promise<void>((res) => cch.deleteQueue(q, {}, () => res()));
    await new Promise<void>((res) => c.close(() => res()));
  });
});
