import { afterAll } from 'vitest';
import { randomBytes } from 'node:crypto';
import { testedPackages } from '../../helpers/registry';
import { nodeRequire } from '../../helpers/tracing';

/** The BullMQ surface the tests use, common to 5.x and 6.x. */
export interface Job {
  id?: string;
  name: string;
  data: unknown;
  opts: Record<string, unknown>;
  attemptsMade: number;
  repeatJobKey?: string;
  waitUntilFinished(events: QueueEvents, ttl?: number): Promise<unknown>;
}
export interface Queue {
  name: string;
  add(name: string, data: unknown, opts?: object): Promise<Job>;
  addBulk(jobs: Array<{ name: string; data: unknown; opts?: object }>): Promise<Job[]>;
  /** From 5.16. */
  upsertJobScheduler?(id: string, repeat: object, template?: object): Promise<unknown>;
  removeJobScheduler(id: string): Promise<unknown>;
  obliterate(opts: { force: boolean }): Promise<void>;
  close(): Promise<void>;
  waitUntilReady(): Promise<unknown>;
}
export interface Worker {
  close(force?: boolean): Promise<void>;
  waitUntilReady(): Promise<unknown>;
  on(event: string, fn: (...args: unknown[]) => void): unknown;
}
export interface QueueEvents {
  close(): Promise<void>;
  waitUntilReady(): Promise<unknown>;
}
export interface FlowProducer {
  add(flow: object): Promise<{ job: Job; children?: unknown[] }>;
  close(): Promise<void>;
}
export interface Bullmq {
  Queue: new (name: string, opts: object) => Queue;
  Worker: new (name: string, processor: (job: Job) => Promise<unknown>, opts: object) => Worker;
  QueueEvents: new (name: string, opts: object) => QueueEvents;
  FlowProducer: new (opts: object) => FlowProducer;
}

export const CONNECTION = { host: '127.0.0.1', port: 6379 };
/** Keys of the tests' queues live under this prefix (BullMQ's default is `bull`). */
export const PREFIX = 'wm-test-bull';

/** The versions the registry entry is tested with (5.0.0 as `bullmq5-0`, the newest 5.x as `bullmq5`, and 6.x), by installed name. */
export function bullmqMajors(): Array<[string, Bullmq]> {
  return testedPackages('bullmq').map(({ id }) => [id, nodeRequire(id) as Bullmq]);
}

/** A queue name no other run uses (BullMQ refuses `:` in names). */
export function uniqueQueue(what: string): string {
  return `wm-${what}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/**
 * Queues, workers and the like a test file opens: after the file's tests, workers and
 * event readers are closed, the queues' keys removed, and the queues closed.
 */
export function closedAfterAll(): { queues: Queue[]; closers: Array<{ close(): Promise<unknown> }> } {
  const opened = { queues: [] as Queue[], closers: [] as Array<{ close(): Promise<unknown> }> };
  afterAll(async () => {
    for (const c of opened.closers) await c.close().catch(() => undefined);
    for (const q of opened.queues) {
      await q.obliterate({ force: true }).catch(() => undefined);
      await q.close().catch(() => undefined);
    }
  });
  return opened;
}
