import { describe, expect, it } from 'vitest';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { SpanRecord } from '../../../src/export/span-record';
import { isWrapped } from '../../../src/instrument';
import { inParent, pollSpans, spansOf } from '../../helpers/spans';
import { nodeRequire, startTracing } from '../../helpers/tracing';
import { bullmqMajors, closedAfterAll, CONNECTION, PREFIX, uniqueQueue, type Bullmq, type Job } from './majors';

// BullMQ 5 and 6 in one process: a job added under a span makes `send <queue>` (PRODUCER)
// and each processing `process <queue>` (CONSUMER) in the producer's trace; the processor
// sees exactly the data that was added; retries, failures, delays, flows, bulks and
// schedulers; BullMQ's own Redis commands stay out, the processor's own are traced.
const { agent } = startTracing();
const opened = closedAfterAll();
type IoRedis = { get(k: string): Promise<unknown>; disconnect(): void };
const Redis = nodeRequire('ioredis') as new (opts: object) => IoRedis;
const appRedis = new Redis(CONNECTION);
opened.closers.push({ close: async () => appRedis.disconnect() });

const KIND = { PRODUCER: SpanKind.PRODUCER, CONSUMER: SpanKind.CONSUMER };

/** What a processor saw of one run. */
interface Seen {
  job: Job;
  data: unknown;
  attempt: number;
  traceId: string | undefined;
}

/** A queue, and a worker on it running `processor` (default: resolves with 'done'); records what it saw. */
function setUp(bull: Bullmq, what: string, processor?: (job: Job) => Promise<unknown>) {
  const name = uniqueQueue(what);
  const queue = new bull.Queue(name, { connection: CONNECTION, prefix: PREFIX });
  opened.queues.push(queue);
  const seen: Seen[] = [];
  const worker = new bull.Worker(
    name,
    async (job) => {
      seen.push({ job, data: structuredClone(job.data), attempt: job.attemptsMade + 1, traceId: trace.getActiveSpan()?.spanContext().traceId });
      return processor === undefined ? 'done' : processor(job);
    },
    { connection: CONNECTION, prefix: PREFIX },
  );
  worker.on('error', () => {});
  opened.closers.push(worker);
  return { name, queue, worker, seen };
}

function bullSpans(): SpanRecord[] {
  return spansOf(agent, 'bullmq');
}

/** Waits for `n` spans named `name`. */
function waitFor(name: string, n: number, timeoutMs = 5000): Promise<SpanRecord[]> {
  return pollSpans(agent, (spans) => {
    const found = spans.filter((s) => s.name === name);
    return found.length >= n ? found : undefined;
  }, `${n} × ${name}`, timeoutMs);
}

const DATA = { user: { id: 7, tags: ['a', 'b'], nested: { deep: [1, { x: null }] } }, text: 'héllo ✓', empty: {}, flag: false };

describe.each(bullmqMajors())('%s', (_pkg, bull) => {
  it('is patched', () => {
    expect(isWrapped(bull.Queue.prototype.add)).toBe(true);
    expect(isWrapped((bull.Worker.prototype as unknown as { callProcessJob: unknown }).callProcessJob)).toBe(true);
  });

  it('add: send <queue> under the caller, process <queue> its child; the processor gets the data as added; opts untouched', async () => {
    const { name, queue, seen } = setUp(bull, 'add', async () => appRedis.get(`${name}:from-processor`));
    agent.reset();
    const opts = { removeOnComplete: true, attempts: 1 };
    const optsBefore = structuredClone(opts);
    const { result: job, parent } = await inParent(() => queue.add('welcome', DATA, opts));
    const [processing] = await waitFor(`process ${name}`, 1);
    const [send] = bullSpans().filter((s) => s.name === `send ${name}`);
    expect(opts).toEqual(optsBefore);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.data).toStrictEqual(DATA);
    expect(send!.kind).toBe(KIND.PRODUCER);
    expect(send!.traceId).toBe(parent.spanContext().traceId);
    expect(send!.parentSpanId).toBe(parent.spanContext().spanId);
    expect(send!.attributes).toEqual({
      'messaging.system': 'bullmq',
      'messaging.destination.name': name,
      'messaging.operation.name': 'send',
      'messaging.operation.type': 'send',
      'messaging.bullmq.job.name': 'welcome',
      'messaging.message.id': job.id,
    });
    expect(processing!.kind).toBe(KIND.CONSUMER);
    expect(processing!.traceId).toBe(send!.traceId);
    expect(processing!.parentSpanId).toBe(send!.spanId);
    expect(processing!.status.code).toBe(SpanStatusCode.UNSET);
    expect(processing!.attributes).toEqual({
      'messaging.system': 'bullmq',
      'messaging.destination.name': name,
      'messaging.operation.name': 'process',
      'messaging.operation.type': 'process',
      'messaging.message.id': job.id,
      'messaging.bullmq.job.name': 'welcome',
      'messaging.bullmq.job.attempt': 1,
    });
    expect(seen[0]!.traceId).toBe(send!.traceId);
    // The processor's own Redis call is traced under its span; BullMQ's own commands are not.
    const redis = await pollSpans(agent, (spans) => { const r = spans.filter((s) => s.scope.name === 'waymark/ioredis'); return r.length > 0 ? r : undefined; }, 'the processor GET');
    expect(redis.map((s) => [s.name, s.parentSpanId])).toEqual([['GET', processing!.spanId]]);
    expect(JSON.stringify(bullSpans().map((s) => s.attributes))).not.toContain('héllo');
  });

  it('addBulk: ONE send span with the batch count; each job processed in its trace', async () => {
    const { name, queue, seen } = setUp(bull, 'bulk');
    agent.reset();
    const entries = [1, 2, 3].map((n) => ({ name: `j${n}`, data: { n, ...DATA } }));
    const before = structuredClone(entries);
    await inParent(() => queue.addBulk(entries));
    const processing = await waitFor(`process ${name}`, 3);
    const sends = bullSpans().filter((s) => s.name === `send ${name}`);
    expect(entries).toEqual(before);
    expect(sends).toHaveLength(1);
    expect(sends[0]!.attributes['messaging.batch.message_count']).toBe(3);
    for (const p of processing) expect(p.parentSpanId).toBe(sends[0]!.spanId);
    expect(seen.map((s) => s.data).sort((a, b) => (a as { n: number }).n - (b as { n: number }).n)).toStrictEqual(before.map((e) => e.data));
  });

  it('FlowProducer.add: one send span for the tree; parent and child jobs processed in its trace', async () => {
    const { name, seen } = setUp(bull, 'flow');
    const flows = new bull.FlowProducer({ connection: CONNECTION, prefix: PREFIX });
    opened.closers.push(flows);
    agent.reset();
    const flow = { name: 'parent', queueName: name, data: { role: 'parent' }, children: [{ name: 'child', queueName: name, data: { role: 'child' } }] };
    const before = structuredClone(flow);
    const { result: tree } = await inParent(() => flows.add(flow));
    const processing = await waitFor(`process ${name}`, 2);
    const [send] = bullSpans().filter((s) => s.name === `send ${name}`);
    expect(flow).toEqual(before);
    expect(send!.attributes['messaging.batch.message_count']).toBe(2);
    expect(send!.attributes['messaging.message.id']).toBe(tree.job.id);
    expect(processing.map((p) => p.attributes['messaging.bullmq.job.name'])).toEqual(['child', 'parent']);
    for (const p of processing) expect(p.parentSpanId).toBe(send!.spanId);
    expect(seen.map((s) => s.data)).toStrictEqual([{ role: 'child' }, { role: 'parent' }]);
  });

  it('a delayed job is processed after its delay, in the producer trace', async () => {
    const { name, queue } = setUp(bull, 'delay');
    agent.reset();
    await inParent(() => queue.add('later', { n: 1 }, { delay: 300 }));
    const [processing] = await waitFor(`process ${name}`, 1);
    const [send] = bullSpans().filter((s) => s.name === `send ${name}`);
    expect(send!.attributes['messaging.bullmq.job.delay']).toBe(300);
    expect(processing!.parentSpanId).toBe(send!.spanId);
    expect(processing!.startTime - send!.startTime).toBeGreaterThanOrEqual(250) // ms;
  });

  it('retries: one process span per attempt, numbered; failed attempts are ERROR; the last succeeds', async () => {
    const { name, queue, seen } = setUp(bull, 'retry', async (job) => {
      if (job.attemptsMade < 2) throw new TypeError(`attempt ${job.attemptsMade + 1} failed`);
      return 'ok';
    });
    agent.reset();
    await inParent(() => queue.add('flaky', DATA, { attempts: 3 }));
    const processing = await waitFor(`process ${name}`, 3);
    const [send] = bullSpans().filter((s) => s.name === `send ${name}`);
    expect(processing.map((p) => p.attributes['messaging.bullmq.job.attempt'])).toEqual([1, 2, 3]);
    expect(processing.map((p) => p.status.code)).toEqual([SpanStatusCode.ERROR, SpanStatusCode.ERROR, SpanStatusCode.UNSET]);
    expect(processing[0]!.attributes['error.type']).toBe('TypeError');
    expect(processing[0]!.events.map((e) => [e.name, e.attributes?.['exception.message']])).toEqual([['exception', 'attempt 1 failed']]);
    for (const p of processing) expect(p.parentSpanId).toBe(send!.spanId);
    for (const s of seen) expect(s.data).toStrictEqual(DATA);
  });

  it('a job failing every attempt leaves every attempt ERROR', async () => {
    const { name, queue } = setUp(bull, 'fail', async () => {
      throw new Error('always');
    });
    agent.reset();
    await inParent(() => queue.add('doomed', { n: 1 }, { attempts: 2 }));
    const processing = await waitFor(`process ${name}`, 2);
    expect(processing.map((p) => [p.attributes['messaging.bullmq.job.attempt'], p.status.code, p.status.message])).toEqual([
      [1, SpanStatusCode.ERROR, 'always'],
      [2, SpanStatusCode.ERROR, 'always'],
    ]);
  });

  it('a repeated job: each run is its own trace, linked to the send span that scheduled it', async () => {
    // upsertJobScheduler from 5.16; before it, `add` with `repeat` (the only way in 5.0).
    const { name, queue, seen } = setUp(bull, 'sched');
    const scheduler = typeof queue.upsertJobScheduler === 'function';
    agent.reset();
    const { parent } = await inParent(() =>
      scheduler
        ? queue.upsertJobScheduler!('every-200', { every: 200 }, { name: 'tick', data: { tick: true } })
        : queue.add('tick', { tick: true }, { repeat: { every: 200 } }),
    );
    const runs = (await waitFor(`process ${name}`, 2)).slice(0, 2);
    if (scheduler) await queue.removeJobScheduler('every-200');
    const [send] = bullSpans().filter((s) => s.name === `send ${name}`);
    expect(send!.parentSpanId).toBe(parent.spanContext().spanId);
    if (scheduler) expect(send!.attributes['messaging.bullmq.job.scheduler']).toBe('every-200');
    expect(new Set(runs.map((r) => r.traceId)).size).toBe(2);
    for (const r of runs) {
      expect(r.traceId).not.toBe(send!.traceId);
      expect(r.parentSpanId).toBeUndefined();
      expect(r.attributes['messaging.bullmq.job.scheduler']).toEqual(expect.any(String));
      expect(r.links.map((l) => [l.traceId, l.spanId])).toEqual([[send!.traceId, send!.spanId]]);
    }
    expect(seen[0]!.data).toStrictEqual({ tick: true });
  });

  it('without an active span the send span is a root and the processing its child', async () => {
    const { name, queue } = setUp(bull, 'root');
    agent.reset();
    await queue.add('lonely', { n: 1 });
    const [processing] = await waitFor(`process ${name}`, 1);
    const [send] = bullSpans().filter((s) => s.name === `send ${name}`);
    expect(send!.parentSpanId).toBeUndefined();
    expect(processing!.parentSpanId).toBe(send!.spanId);
  });

  it("a job's own telemetry options win: metadata set by the app is kept, omitContext carries nothing", async () => {
    const { name, queue, seen } = setUp(bull, 'own');
    agent.reset();
    await inParent(async () => {
      await queue.add('mine', { n: 1 }, { telemetry: { metadata: 'app-owned' } });
      await queue.add('none', { n: 2 }, { telemetry: { omitContext: true } });
    });
    const processing = await waitFor(`process ${name}`, 2);
    for (const p of processing) expect(p.parentSpanId).toBeUndefined();
    const opts = Object.fromEntries(seen.map((s) => [s.job.name, s.job.opts.telemetry]));
    expect(opts).toEqual({ mine: { metadata: 'app-owned' }, none: { omitContext: true } });
  });
});
