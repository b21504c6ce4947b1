/**
 * BullMQ values of the bullmq instrumentation; the messaging keys live with the kit's, in
 * `src/instrument/semconv.ts`. Semconv has no BullMQ page: `messaging.system` and the
 * `messaging.bullmq.*` keys are those the OpenTelemetry JS BullMQ instrumentation uses.
 * https://opentelemetry.io/docs/specs/semconv/messaging/messaging-spans/
 */

/** `messaging.system` of BullMQ. */
export const MESSAGING_SYSTEM_VALUE_BULLMQ = 'bullmq';
/** `messaging.operation.type` values, also the operations' names (the span name's first word). */
export const MESSAGING_OPERATION_TYPE_VALUE_SEND = 'send';
export const MESSAGING_OPERATION_TYPE_VALUE_PROCESS = 'process';
/** The job's name (`queue.add(name, ...)`). */
export const ATTR_MESSAGING_BULLMQ_JOB_NAME = 'messaging.bullmq.job.name';
/** A delayed job's delay in milliseconds. */
export const ATTR_MESSAGING_BULLMQ_JOB_DELAY = 'messaging.bullmq.job.delay';
/**
 * Which attempt a processing is, from 1 (the first run) up to the job's `attempts`; after a
 * failure BullMQ retries the job and the next process span says 2, 3...
 */
export const ATTR_MESSAGING_BULLMQ_JOB_ATTEMPT = 'messaging.bullmq.job.attempt';
/** The id of the job scheduler (repeatable job) a job belongs to, or that `upsertJobScheduler` sets. */
export const ATTR_MESSAGING_BULLMQ_JOB_SCHEDULER = 'messaging.bullmq.job.scheduler';
