import { describe, expect, it } from 'vitest';
import type Http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind } from '@opentelemetry/api';
import { inParent, pollSpans } from '../../helpers/spans';
import { nodeRequire, startTracing } from '../../helpers/tracing';
import { bullmqMajors, closedAfterAll, CONNECTION, PREFIX, uniqueQueue } from './majors';

// The hidden enemy: a command issued in one request answered in another's context. Eight
// concurrent HTTP requests each add a job, wait for its result through QueueEvents and read
// Redis afterwards; a worker with concurrency 4 processes them, each reading Redis too.
// Every span must land in its own request's trace, under the right parent; and the worker,
// queue and event reader, created inside a span of their own, hang none of their endless
// traffic on it (only the bounded commands their constructors send: one INFO per
// connection, the queue's meta HSET).
const { agent } = startTracing();
const http = nodeRequire('node:http') as typeof Http;
const opened = closedAfterAll();
type IoRedis = { get(k: string): Promise<unknown>; disconnect(): void };
const Redis = nodeRequire('ioredis') as new (opts: object) => IoRedis;
const appRedis = new Redis(CONNECTION);
opened.closers.push({ close: async () => appRedis.disconnect() });

const REQUESTS = 8;

describe.each(bullmqMajors())('%s under concurrent requests', (_pkg, bull) => {
  it('each request, its job, its processing and every Redis call stay in one trace, each under its own parent', async () => {
    const name = uniqueQueue('conc');
    agent.reset();
    const { parent: boot, result: { queue, events } } = await inParent(async () => {
      const queue = new bull.Queue(name, { connection: CONNECTION, prefix: PREFIX });
      const events = new bull.QueueEvents(name, { connection: CONNECTION, prefix: PREFIX });
      const worker = new bull.Worker(
        name,
        async (job) => {
          const rid = (job.data as { rid: number }).rid;
          await new Promise((r) => setTimeout(r, (rid * 7) % 30));
          await appRedis.get(`${name}:in:${rid}`);
          return rid;
        },
        { connection: CONNECTION, prefix: PREFIX, concurrency: 4 },
      );
      worker.on('error', () => {});
      opened.queues.push(queue);
      opened.closers.push(worker, events);
      await Promise.all([queue.waitUntilReady(), events.waitUntilReady(), worker.waitUntilReady()]);
      return { queue, events };
    }, 'boot');

    const server = http.createServer((req, res) => {
      const rid = Number(req.url!.slice('/job/'.length));
      void (async () => {
        const job = await queue.add(`req-${rid}`, { rid });
        const result = await job.waitUntilFinished(events, 10_000);
        await appRedis.get(`${name}:after:${rid}`);
        res.end(String(result));
      })().catch((err: unknown) => {
        res.statusCode = 500;
        res.end(String(err));
      });
    });
    opened.closers.push({ close: () => new Promise((r) => server.close(r)) });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const bodies = await Promise.all(Array.from({ length: REQUESTS }, (_, rid) => fetch(`${base}/job/${rid}`).then((r) => r.text())));
    expect(bodies).toEqual(Array.from({ length: REQUESTS }, (_, rid) => String(rid)));

    const spans = await pollSpans(agent, (all) => (all.filter((s) => s.kind === SpanKind.SERVER).length >= REQUESTS ? all : undefined), 'server spans');
    const byName = (n: string) => spans.filter((s) => s.name === n);
    const redisWith = (text: string) => spans.filter((s) => s.scope.name === 'waymark/ioredis' && String(s.attributes['db.query.text']).includes(text));
    for (let rid = 0; rid < REQUESTS; rid++) {
      const server = spans.find((s) => s.kind === SpanKind.SERVER && s.attributes['url.path'] === `/job/${rid}`)!;
      const send = byName(`send ${name}`).filter((s) => s.attributes['messaging.bullmq.job.name'] === `req-${rid}`);
      const processing = byName(`process ${name}`).filter((s) => s.attributes['messaging.bullmq.job.name'] === `req-${rid}`);
      expect(send).toHaveLength(1);
      expect(processing).toHaveLength(1);
      expect(send[0]!.traceId).toBe(server.traceId);
      expect(send[0]!.parentSpanId).toBe(server.spanId);
      expect(processing[0]!.traceId).toBe(server.traceId);
      expect(processing[0]!.parentSpanId).toBe(send[0]!.spanId);
      const inside = redisWith(`${name}:in:${rid}`);
      const after = redisWith(`${name}:after:${rid}`);
      expect(inside.map((s) => s.parentSpanId)).toEqual([processing[0]!.spanId]);
      expect(after.map((s) => s.parentSpanId)).toEqual([server.spanId]);
      // `job.waitUntilFinished` is the app's own call of BullMQ's API: its one script (is
      // the job finished already?) shows under the request that made it, like any command.
      const waited = spans.filter((s) => s.scope.name === 'waymark/ioredis' && s.name === 'EVALSHA' && s.traceId === server.traceId);
      expect(waited.map((s) => s.parentSpanId)).toEqual([server.spanId]);
    }
    // Nothing but the app's own calls reached Redis spans in the requests' traces: the
    // scripts adding jobs, blocking reads and event-stream reads never hang on a request.
    const requestTraces = new Set(spans.filter((s) => s.kind === SpanKind.SERVER).map((s) => s.traceId));
    expect(spans.filter((s) => s.scope.name === 'waymark/ioredis' && requestTraces.has(s.traceId))).toHaveLength(3 * REQUESTS);
    // The span that made the worker, queue and event reader holds only their constructors'
    // one-time commands (an INFO per connection, the queue's meta HSET), however many jobs
    // ran since: no loop traffic comes under it.
    const booted = spans.filter((s) => s.traceId === boot.spanContext().traceId && s.name !== 'boot');
    expect(booted.filter((s) => s.name === 'HSET')).toHaveLength(1);
    expect(booted.filter((s) => s.name === 'INFO').length).toBeLessThanOrEqual(5);
    expect(booted.filter((s) => s.name !== 'INFO' && s.name !== 'HSET')).toEqual([]);
  });
});
