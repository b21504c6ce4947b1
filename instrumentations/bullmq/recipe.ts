import {
  SpanKind,
  ATTR_MESSAGING_BATCH_MESSAGE_COUNT,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_MESSAGE_ID,
  ATTR_MESSAGING_OPERATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM,
  type Attributes,
  type SpanSpec,
} from '../../src/instrument';
import {
  ATTR_MESSAGING_BULLMQ_JOB_ATTEMPT,
  ATTR_MESSAGING_BULLMQ_JOB_DELAY,
  ATTR_MESSAGING_BULLMQ_JOB_NAME,
  ATTR_MESSAGING_BULLMQ_JOB_SCHEDULER,
  MESSAGING_OPERATION_TYPE_VALUE_PROCESS,
  MESSAGING_OPERATION_TYPE_VALUE_SEND,
  MESSAGING_SYSTEM_VALUE_BULLMQ,
} from './semconv';

/**
 * Pure recipes of the bullmq instrumentation: what adding and processing a job become as
 * spans (`send <queue>` PRODUCER, `process <queue>` CONSUMER), and where a job carries its
 * producer's context. Job data is never read: only names, ids, counts and options.
 */

/** Job options as far as we read or write them. */
export interface JobOpts {
  readonly jobId?: unknown;
  readonly delay?: unknown;
  readonly telemetry?: { readonly metadata?: unknown; readonly omitContext?: unknown } | null;
  readonly [key: string]: unknown;
}

/** A job to add, as `addBulk` takes them; also a flow node (`FlowProducer#add`). */
export interface JobEntry {
  readonly name?: unknown;
  readonly queueName?: unknown;
  readonly opts?: JobOpts;
  readonly children?: unknown;
  readonly [key: string]: unknown;
}

/** A job as a worker hands it to the processor. */
export interface JobLike {
  readonly id?: unknown;
  readonly name?: unknown;
  readonly queueName?: unknown;
  readonly attemptsMade?: unknown;
  readonly repeatJobKey?: unknown;
  readonly opts?: JobOpts;
}

/** The longest context metadata read back from a job (a W3C traceparent plus state fits easily). */
export const MAX_METADATA_LENGTH = 4096;
/** Flow nodes counted at most (the count is an attribute; the flow itself is BullMQ's to bound). */
const MAX_FLOW_NODES = 10_000;

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

function baseAttributes(queue: string, type: string): Attributes {
  return {
    [ATTR_MESSAGING_SYSTEM]: MESSAGING_SYSTEM_VALUE_BULLMQ,
    [ATTR_MESSAGING_DESTINATION_NAME]: queue,
    [ATTR_MESSAGING_OPERATION_NAME]: type,
    [ATTR_MESSAGING_OPERATION_TYPE]: type,
  };
}

/** The destination part of a span name: the queue, else the bare operation (semconv's fallback). */
function spanName(type: string, queue: string): string {
  return queue === '' ? type : `${type} ${queue}`;
}

/** PRODUCER span of `Queue#add(name, data, opts)`. */
export function addSpec(a: { queue: unknown; name: unknown; opts: JobOpts | undefined }): SpanSpec {
  const queue = str(a.queue) ?? '';
  const attributes = baseAttributes(queue, MESSAGING_OPERATION_TYPE_VALUE_SEND);
  const name = str(a.name);
  if (name !== undefined) attributes[ATTR_MESSAGING_BULLMQ_JOB_NAME] = name;
  const id = str(a.opts?.jobId);
  if (id !== undefined) attributes[ATTR_MESSAGING_MESSAGE_ID] = id;
  const delay = a.opts?.delay;
  if (typeof delay === 'number' && delay > 0) attributes[ATTR_MESSAGING_BULLMQ_JOB_DELAY] = delay;
  return { name: spanName(MESSAGING_OPERATION_TYPE_VALUE_SEND, queue), kind: SpanKind.PRODUCER, attributes };
}

/** PRODUCER span of a batch: `Queue#addBulk` (one queue), `FlowProducer#add`/`addBulk` (a tree). */
export function batchSpec(a: { queue: unknown; count: number }): SpanSpec {
  const queue = str(a.queue) ?? '';
  const attributes = baseAttributes(queue, MESSAGING_OPERATION_TYPE_VALUE_SEND);
  if (queue === '') delete attributes[ATTR_MESSAGING_DESTINATION_NAME];
  attributes[ATTR_MESSAGING_BATCH_MESSAGE_COUNT] = a.count;
  return { name: spanName(MESSAGING_OPERATION_TYPE_VALUE_SEND, queue), kind: SpanKind.PRODUCER, attributes };
}

/** PRODUCER span of `Queue#upsertJobScheduler(id, repeat, template)`: the jobs it schedules are its messages. */
export function schedulerSpec(a: { queue: unknown; scheduler: unknown; template: JobEntry | undefined }): SpanSpec {
  const queue = str(a.queue) ?? '';
  const attributes = baseAttributes(queue, MESSAGING_OPERATION_TYPE_VALUE_SEND);
  const scheduler = str(a.scheduler);
  if (scheduler !== undefined) attributes[ATTR_MESSAGING_BULLMQ_JOB_SCHEDULER] = scheduler;
  const name = str(a.template?.name) ?? scheduler;
  if (name !== undefined) attributes[ATTR_MESSAGING_BULLMQ_JOB_NAME] = name;
  return { name: spanName(MESSAGING_OPERATION_TYPE_VALUE_SEND, queue), kind: SpanKind.PRODUCER, attributes };
}

/** CONSUMER span of one processing of `job` (one attempt). */
export function processSpec(a: { queue: unknown; job: JobLike }): SpanSpec {
  const { job } = a;
  const queue = str(a.queue) ?? str(job.queueName) ?? '';
  const attributes = baseAttributes(queue, MESSAGING_OPERATION_TYPE_VALUE_PROCESS);
  const id = str(job.id);
  if (id !== undefined) attributes[ATTR_MESSAGING_MESSAGE_ID] = id;
  const name = str(job.name);
  if (name !== undefined) attributes[ATTR_MESSAGING_BULLMQ_JOB_NAME] = name;
  const made = job.attemptsMade;
  attributes[ATTR_MESSAGING_BULLMQ_JOB_ATTEMPT] = (typeof made === 'number' && made >= 0 ? made : 0) + 1;
  const scheduler = str(job.repeatJobKey);
  if (scheduler !== undefined) attributes[ATTR_MESSAGING_BULLMQ_JOB_SCHEDULER] = scheduler;
  return { name: spanName(MESSAGING_OPERATION_TYPE_VALUE_PROCESS, queue), kind: SpanKind.CONSUMER, attributes };
}

/** The id of an added job (`Queue#add` resolves with the Job; `FlowProducer#add` with `{ job }`). */
export function addedJobId(result: unknown): string | undefined {
  if (result === null || typeof result !== 'object') return undefined;
  const job = (result as { job?: unknown }).job ?? result;
  return job !== null && typeof job === 'object' ? str((job as { id?: unknown }).id) : undefined;
}

/**
 * A copy of `opts` whose `telemetry.metadata` (where BullMQ keeps a job's trace context) is
 * `metadata`; `undefined` when the job says where its context is already (metadata set by
 * the app or by BullMQ's own telemetry) or that it wants none (`omitContext`).
 */
export function withMetadata(opts: JobOpts | undefined, metadata: string): JobOpts | undefined {
  const telemetry = opts?.telemetry;
  if (telemetry != null && (telemetry.metadata != null || telemetry.omitContext === true)) return undefined;
  return { ...opts, telemetry: { ...telemetry, metadata } };
}

/** Copies of `addBulk`'s entries, each carrying `metadata` (the array and entries are the app's: never changed). */
export function entriesWithMetadata(entries: readonly JobEntry[], metadata: string): JobEntry[] {
  return entries.map((e) => {
    if (e === null || typeof e !== 'object') return e;
    const opts = withMetadata(e.opts, metadata);
    return opts === undefined ? e : { ...e, opts };
  });
}

/** A copy of a flow (its nodes and their `children` arrays) whose every node carries `metadata`. */
export function flowWithMetadata(node: JobEntry, metadata: string): JobEntry {
  if (node === null || typeof node !== 'object') return node;
  const opts = withMetadata(node.opts, metadata);
  const children = Array.isArray(node.children) ? (node.children as JobEntry[]).map((c) => flowWithMetadata(c, metadata)) : node.children;
  return { ...node, ...(opts === undefined ? {} : { opts }), ...(children === node.children ? {} : { children }) };
}

/** Number of jobs in flows (nodes of their trees), capped at MAX_FLOW_NODES. */
export function flowSize(nodes: readonly unknown[]): number {
  let count = 0;
  const pending: unknown[] = [...nodes];
  while (pending.length > 0 && count < MAX_FLOW_NODES) {
    const node = pending.pop();
    if (node === null || typeof node !== 'object') continue;
    count++;
    const children = (node as JobEntry).children;
    if (Array.isArray(children)) for (const c of children) pending.push(c);
  }
  return count;
}

/** The carrier a job holds, or undefined (none, not ours to read, or oversized). */
export function metadataCarrier(job: JobLike): Record<string, unknown> | undefined {
  const metadata = job.opts?.telemetry?.metadata;
  if (typeof metadata !== 'string' || metadata.length === 0 || metadata.length > MAX_METADATA_LENGTH) return undefined;
  let carrier: unknown;
  try {
    carrier = JSON.parse(metadata);
  } catch {
    return undefined;
  }
  return carrier !== null && typeof carrier === 'object' && !Array.isArray(carrier) ? (carrier as Record<string, unknown>) : undefined;
}

/** True for a job a scheduler repeats: each run is its own trace, linked to the scheduling one. */
export function isRepeated(job: JobLike): boolean {
  return typeof job.repeatJobKey === 'string' && job.repeatJobKey !== '';
}
