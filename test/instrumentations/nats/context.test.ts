import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanKind, trace } from '@opentelemetry/api';
import { inParent, spansOf, waitForSpans } from '../../helpers/spans';
import { startTracing } from '../../helpers/tracing';
import { uniquePrefix } from '../../helpers/unique-prefix';
import { natsClients, type NatsClient } from './clients';
import { rawPublish } from './raw-publish';

// Messages arrive on the connection's socket, whose events run in the context of whoever
// opened the connection; a `for await` loop runs in the context of whoever started it.
// Neither may become a message's parent: its producer (from the headers) or a new trace.
const { agent } = startTracing();
const active = () => trace.getActiveSpan()?.spanContext();

describe.each(natsClients())('$label: context across the library', (client: NatsClient) => {
  /* eslint-disable @typescript-eslint/no-explicit-any */
  let nc: any;
  let opener: string;
  const subject = (name: string) => `${uniquePrefix('natsctx').replace(/[^A-Za-z0-9]/g, '_')}.${name}`;

  beforeAll(async () => {
    // The connection is opened inside a span of its own.
    const { result, parent } = await inParent(() => client.connect(), 'opener');
    nc = result;
    opener = parent.spanContext().traceId;
  });
  afterAll(async () => {
    await nc.close();
  });

  it('a callback processes a header-less message in a new trace, not in the opener\'s or the subscriber\'s', async () => {
    agent.reset();
    const subj = subject('cb');
    const seen: { trace?: string; span?: string }[] = [];
    const done = new Promise<void>((resolve) => {
      void inParent(async () => {
        nc.subscribe(subj, {
          max: 2,
          callback: (_e: unknown, m: any) => {
            seen.push({ trace: active()?.traceId, span: active()?.spanId });
            if (seen.length === 2) resolve();
          },
        });
        await nc.flush();
      }, 'subscriber');
    });
    await new Promise((r) => setTimeout(r, 20));
    // One message from an uninstrumented producer, one from a traced publish in another trace.
    await rawPublish(subj, 'raw');
    const { parent: other } = await inParent(async () => nc.publish(subj, 'traced'), 'other-request');
    await done;
    await waitForSpans(agent, () => spansOf(agent, 'nats').filter((s) => s.kind === SpanKind.CONSUMER).length === 2);
    const consumers = spansOf(agent, 'nats').filter((s) => s.kind === SpanKind.CONSUMER);
    const subscriber = agent.finishedSpans().find((s) => s.name === 'subscriber')!;
    const raw = consumers.find((s) => s.attributes['messaging.message.body.size'] === 3)!;
    const traced = consumers.find((s) => s.attributes['messaging.message.body.size'] === 6)!;
    // The raw one: a root of its own.
    expect(raw.parentSpanId).toBeUndefined();
    expect([opener, subscriber.traceId, other.spanContext().traceId]).not.toContain(raw.traceId);
    // The traced one: in the other request's trace, under its producer.
    expect(traced.traceId).toBe(other.spanContext().traceId);
    expect(spansOf(agent, 'nats').find((s) => s.spanId === traced.parentSpanId)!.kind).toBe(SpanKind.PRODUCER);
    // The callback saw each message's own span active.
    expect(seen.map((s) => s.span).sort()).toEqual([raw.spanId, traced.spanId].sort());
  });

  it('a loop started inside a span: its messages are not that span\'s children', async () => {
    agent.reset();
    const subj = subject('iter');
    const sub = nc.subscribe(subj, { max: 1 });
    let loopSpan = '';
    const loop = inParent(async (p) => {
      loopSpan = p.spanContext().traceId;
      for await (const _m of sub) void _m;
    }, 'looper');
    await nc.flush();
    await rawPublish(subj, 'raw');
    await loop;
    const [consumer] = await waitForSpans(agent, () => spansOf(agent, 'nats').length === 1).then(() => spansOf(agent, 'nats'));
    expect(consumer!.kind).toBe(SpanKind.CONSUMER);
    expect(consumer!.parentSpanId).toBeUndefined();
    expect([opener, loopSpan]).not.toContain(consumer!.traceId);
  });

  it('code after publish and after an awaited request runs in the caller\'s context', async () => {
    agent.reset();
    const subj = subject('svc');
    nc.subscribe(subj, { callback: (_e: unknown, m: any) => m.respond('ok') });
    await nc.flush();
    await inParent(async (p) => {
      nc.publish(subject('none'), 'x');
      expect(active()?.spanId).toBe(p.spanContext().spanId);
      await nc.request(subj, 'x', { timeout: 2000 });
      expect(active()?.spanId).toBe(p.spanContext().spanId);
    });
  });
});
