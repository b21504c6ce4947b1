import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanKind, trace } from '@opentelemetry/api';
import type { SpanRecord } from '../../../src/export/span-record';
import { inParent, spansOf, waitForSpans } from '../../helpers/spans';
import { startTracing } from '../../helpers/tracing';
import { uniquePrefix } from '../../helpers/unique-prefix';
import { natsClients, text, type NatsClient } from './clients';

const { agent } = startTracing();

function natsSpans(n: number): Promise<SpanRecord[]> {
  return waitForSpans(agent, () => spansOf(agent, 'nats').length >= n).then(() => spansOf(agent, 'nats'));
}

describe.each(natsClients())('$label JetStream', (client: NatsClient) => {
  /* eslint-disable @typescript-eslint/no-explicit-any */
  let nc: any;
  let jsm: any;
  let js: any;
  const id = uniquePrefix('natsjs').replace(/[^A-Za-z0-9]/g, '_');
  const stream = `S_${id}`;
  const subj = `${id}.orders`;

  beforeAll(async () => {
    nc = await client.connect();
    jsm = await client.jetstreamManager(nc);
    await jsm.streams.add({ name: stream, subjects: [`${id}.>`] });
    js = client.jetstream(nc);
  });
  afterAll(async () => {
    await jsm.streams.delete(stream);
    await nc.close();
  });

  async function consumer(name: string): Promise<any> {
    await jsm.consumers.add(stream, { durable_name: name, ack_policy: 'explicit', filter_subject: subj });
    return js.consumers.get(stream, name);
  }

  it('publish -> one PRODUCER span until the ack (no span for the request under it); consume({ callback }) -> CONSUMER child, active in the callback', async () => {
    agent.reset();
    const { result: ack, parent } = await inParent(async () => js.publish(subj, 'order-1'));
    expect(ack.stream).toBe(stream);
    const spans = await natsSpans(1);
    expect(spans).toHaveLength(1);
    const producer = spans[0]!;
    expect(producer.name).toBe(`publish ${subj}`);
    expect(producer.kind).toBe(SpanKind.PRODUCER);
    expect(producer.parentSpanId).toBe(parent.spanContext().spanId);
    expect(producer.attributes).toMatchObject({ 'messaging.system': 'nats', 'messaging.destination.name': subj, 'messaging.operation.type': 'send' });

    const c = await consumer('cb');
    const got = new Promise<{ active?: string; body: string; traceparent: string }>((resolve) => {
      void c.consume({
        callback: (m: any) => {
          m.ack();
          resolve({ active: trace.getActiveSpan()?.spanContext().spanId, body: text(m.data), traceparent: m.headers?.get('traceparent') });
        },
      });
    });
    const seen = await got;
    expect(seen.body).toBe('order-1');
    expect(seen.traceparent).toBe(`00-${producer.traceId}-${producer.spanId}-03`);
    const all = await natsSpans(2);
    const processing = all.find((s) => s.kind === SpanKind.CONSUMER)!;
    expect(processing.name).toBe(`process ${subj}`);
    expect(processing.parentSpanId).toBe(producer.spanId);
    expect(processing.traceId).toBe(producer.traceId);
    expect(seen.active).toBe(processing.spanId);
    expect(processing.attributes).toMatchObject({
      'messaging.system': 'nats',
      'messaging.operation.type': 'process',
      'messaging.destination.name': subj,
      'messaging.consumer.group.name': 'cb',
    });
    // The consumer's pull requests and its inbox make no spans.
    await new Promise((r) => setTimeout(r, 100));
    expect(spansOf(agent, 'nats').map((s) => s.name).sort()).toEqual([`process ${subj}`, `publish ${subj}`]);
  });

  it('consume() read by `for await`: a CONSUMER span per message, the producer\'s child', async () => {
    const c = await consumer('iter');
    agent.reset();
    await inParent(async () => js.publish(subj, 'order-2'));
    const messages = await c.consume();
    for await (const m of messages) {
      m.ack();
      if (text(m.data) === 'order-2') break;
    }
    const spans = await waitForSpans(agent, () => spansOf(agent, 'nats').some((s) => s.kind === SpanKind.CONSUMER)).then(() => spansOf(agent, 'nats'));
    const producer = spans.find((s) => s.kind === SpanKind.PRODUCER)!;
    const processing = spans.filter((s) => s.kind === SpanKind.CONSUMER);
    const last = processing.find((s) => s.parentSpanId === producer.spanId);
    expect(last, JSON.stringify(processing.map((s) => s.name))).toBeDefined();
    expect(last!.traceId).toBe(producer.traceId);
  });
});
