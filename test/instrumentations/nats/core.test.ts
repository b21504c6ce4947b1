import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { isWrapped } from '../../../src/instrument';
import type { SpanRecord } from '../../../src/export/span-record';
import { inParent, spansOf, waitForSpans } from '../../helpers/spans';
import { startTracing } from '../../helpers/tracing';
import { uniquePrefix } from '../../helpers/unique-prefix';
import { natsClients, text, type NatsClient } from './clients';

const { agent } = startTracing();
const SERVER = { 'server.address': '127.0.0.1', 'server.port': 4222 };

function natsSpans(n: number): Promise<SpanRecord[]> {
  return waitForSpans(agent, (s) => spansOf(agent, 'nats').length >= n).then(() => spansOf(agent, 'nats'));
}
const durationMs = (s: SpanRecord) => (s.endTime - s.startTime); // epoch milliseconds
const byKind = (spans: SpanRecord[], kind: SpanKind) => spans.filter((s) => s.kind === kind);

describe.each(natsClients())('$label core', (client: NatsClient) => {
  /* eslint-disable @typescript-eslint/no-explicit-any */
  let nc: any;
  const subject = (name: string) => `${uniquePrefix('nats').replace(/[^A-Za-z0-9]/g, '_')}.${name}`;

  beforeAll(async () => {
    nc = await client.connect();
  });
  afterAll(async () => {
    await nc.close();
  });

  it('patches the connection and its protocol handler', () => {
    const proto = Object.getPrototypeOf(nc) as Record<string, unknown>;
    expect(isWrapped(proto.publish)).toBe(true);
    expect(isWrapped(proto.request)).toBe(true);
    const handler = Object.getPrototypeOf(nc.protocol) as Record<string, unknown>;
    expect(isWrapped(handler.publish)).toBe(true);
    expect(isWrapped(handler.subscribe)).toBe(true);
  });

  it('publish -> PRODUCER with its context in the headers; a callback subscription processes it in a CONSUMER child', async () => {
    agent.reset();
    const subj = subject('cb');
    const got = new Promise<{ traceparent: string; own: string; active: string | undefined; body: string }>((resolve) => {
      nc.subscribe(subj, {
        callback: (err: unknown, msg: any) => {
          resolve({
            traceparent: msg.headers.get('traceparent'),
            own: msg.headers.get('x-app'),
            active: trace.getActiveSpan()?.spanContext().spanId,
            body: text(msg.data),
          });
        },
      });
    });
    await nc.flush();
    const h = client.headers();
    h.set('x-app', 'kept');
    const before = h.toString();
    const { parent } = await inParent(async () => {
      expect(nc.publish(subj, 'hello', { headers: h })).toBeUndefined();
    });
    const seen = await got;
    const spans = await natsSpans(2);
    const [producer] = byKind(spans, SpanKind.PRODUCER);
    const [consumer] = byKind(spans, SpanKind.CONSUMER);
    expect(producer!.name).toBe(`publish ${subj}`);
    expect(producer!.parentSpanId).toBe(parent.spanContext().spanId);
    expect(producer!.attributes).toEqual({
      'messaging.system': 'nats',
      'messaging.destination.name': subj,
      'messaging.operation.name': 'publish',
      'messaging.operation.type': 'send',
      'messaging.message.body.size': 5,
      ...SERVER,
    });
    // The app's headers object is not changed; the message carries its field and ours.
    expect(h.toString()).toBe(before);
    expect(h.has('traceparent')).toBe(false);
    expect(seen.own).toBe('kept');
    expect(seen.body).toBe('hello');
    expect(seen.traceparent).toBe(`00-${producer!.traceId}-${producer!.spanId}-03`);

    expect(consumer!.name).toBe(`process ${subj}`);
    expect(consumer!.traceId).toBe(producer!.traceId);
    expect(consumer!.parentSpanId).toBe(producer!.spanId);
    expect(consumer!.parentIsRemote).toBe(true);
    expect(seen.active).toBe(consumer!.spanId);
    expect(consumer!.attributes).toEqual({
      'messaging.system': 'nats',
      'messaging.destination.name': subj,
      'messaging.operation.name': 'process',
      'messaging.operation.type': 'process',
      'messaging.message.body.size': 5,
      ...SERVER,
    });
  });

  it('a publish without headers of its own gets a header block with the context only', async () => {
    agent.reset();
    const subj = subject('plain');
    const sub = nc.subscribe(subj, { max: 1 });
    await nc.flush();
    await inParent(async () => nc.publish(subj, 'x'));
    let keys: string[] = [];
    for await (const m of sub) keys = m.headers.keys();
    expect(keys).toEqual(['traceparent']);
  });

  it('a `for await` loop: each message gets a CONSUMER span from its delivery until the loop asks for the next', async () => {
    agent.reset();
    const subj = subject('iter');
    const sub = nc.subscribe(subj, { max: 2 });
    const bodies: string[] = [];
    const loop = (async () => {
      for await (const m of sub) {
        bodies.push(text(m.data));
        await new Promise((r) => setTimeout(r, 30));
      }
    })();
    await nc.flush();
    await inParent(async () => {
      nc.publish(subj, 'one');
      nc.publish(subj, 'two');
    });
    await loop;
    expect(bodies).toEqual(['one', 'two']);
    const spans = await natsSpans(4);
    const producers = byKind(spans, SpanKind.PRODUCER);
    const consumers = byKind(spans, SpanKind.CONSUMER);
    expect(consumers.map((s) => s.name)).toEqual([`process ${subj}`, `process ${subj}`]);
    for (let i = 0; i < 2; i++) {
      expect(consumers[i]!.parentSpanId).toBe(producers[i]!.spanId);
      expect(consumers[i]!.traceId).toBe(producers[i]!.traceId);
      // The loop body's 30 ms are inside the span.
      expect(durationMs(consumers[i]!)).toBeGreaterThanOrEqual(25);
    }
  });

  it('request -> PRODUCER `request <subject>` until the reply; the responder processes in its child; no span for the reply inbox', async () => {
    agent.reset();
    const subj = subject('svc');
    nc.subscribe(subj, {
      callback: (_err: unknown, msg: any) => {
        msg.respond(`re:${text(msg.data)}`);
      },
    });
    await nc.flush();
    const { result } = await inParent(async () => text((await nc.request(subj, 'ping', { timeout: 2000 })).data));
    expect(result).toBe('re:ping');
    const spans = await natsSpans(2);
    expect(spans.map((s) => s.name).sort()).toEqual([`process ${subj}`, `request ${subj}`]);
    const [request] = byKind(spans, SpanKind.PRODUCER);
    const [processing] = byKind(spans, SpanKind.CONSUMER);
    expect(request!.attributes['messaging.operation.name']).toBe('request');
    expect(request!.attributes['messaging.operation.type']).toBe('send');
    expect(processing!.parentSpanId).toBe(request!.spanId);
    // The request lasted until the reply came back: it ends after the responder's span started.
    expect(request!.endTime).toBeGreaterThanOrEqual(processing!.startTime);
    await new Promise((r) => setTimeout(r, 50));
    expect(spansOf(agent, 'nats')).toHaveLength(2);
  });

  it('request with noMux goes through its own inbox and is traced the same', async () => {
    agent.reset();
    const subj = subject('nomux');
    nc.subscribe(subj, { callback: (_e: unknown, msg: any) => msg.respond('ok') });
    await nc.flush();
    await inParent(async () => nc.request(subj, '', { timeout: 2000, noMux: true }));
    const spans = await natsSpans(2);
    const [request] = byKind(spans, SpanKind.PRODUCER);
    const [processing] = byKind(spans, SpanKind.CONSUMER);
    expect(request!.name).toBe(`request ${subj}`);
    expect(processing!.parentSpanId).toBe(request!.spanId);
  });

  it('a request nobody answers: the span records the error the app gets (same object)', async () => {
    agent.reset();
    const subj = subject('nobody');
    let caught: unknown;
    await inParent(async () => {
      await nc.request(subj, 'x', { timeout: 500 }).catch((e: unknown) => (caught = e));
    });
    expect(caught).toBeInstanceOf(Error);
    const [request] = await natsSpans(1);
    expect(request!.name).toBe(`request ${subj}`);
    expect(request!.status.code).toBe(SpanStatusCode.ERROR);
    expect(request!.events[0]!.attributes!['exception.message']).toBe((caught as Error).message);
  });

  it('a wildcard subscription in a queue group names its spans after the pattern', async () => {
    agent.reset();
    const base = subject('orders');
    const got = new Promise<void>((resolve) => nc.subscribe(`${base}.*`, { queue: 'workers', callback: () => resolve() }));
    await nc.flush();
    await inParent(async () => nc.publish(`${base}.42`, 'o'));
    await got;
    const spans = await natsSpans(2);
    const [consumer] = byKind(spans, SpanKind.CONSUMER);
    expect(consumer!.name).toBe(`process ${base}.*`);
    expect(consumer!.attributes).toMatchObject({
      'messaging.destination.name': `${base}.42`,
      'messaging.destination.subscription.name': `${base}.*`,
      'messaging.consumer.group.name': 'workers',
    });
  });

  it('a publish that throws (bad subject) rethrows the same error and records it', async () => {
    agent.reset();
    let thrown: unknown;
    await inParent(async () => {
      try {
        nc.publish('', 'x');
      } catch (e) {
        thrown = e;
      }
    });
    expect(thrown).toBeInstanceOf(Error);
    const [span] = await natsSpans(1);
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
  });
});
