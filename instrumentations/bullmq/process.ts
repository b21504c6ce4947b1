import {
  context,
  getSpan,
  propagation,
  startCall,
  traceCall,
  ROOT_CONTEXT,
  type AnyFunction,
  type Context,
  type InstrumentationKit,
  type MakeWrapper,
  type SpanContext,
  type TextMapGetter,
} from '../../src/instrument';
import { hasOwnTelemetry, type BullmqInstance } from './produce';
import { isRepeated, metadataCarrier, processSpec, type JobLike } from './recipe';

/**
 * The consumer side: `Worker#callProcessJob(job, token, signal)` runs the app's processor
 * for one attempt of one job; it runs inside a CONSUMER span whose parent is the context
 * the job carries (the producer's span, in this process or another), never whatever was
 * active when the worker was created. The processor's own calls (HTTP, SQL, Redis) are its
 * children; a rejection or throw marks that attempt ERROR. A job repeated by a scheduler
 * starts a trace per run, linked to the span that scheduled it (one trace per run, not one
 * trace growing for as long as the schedule lives).
 */

const carrierGetter: TextMapGetter<Record<string, unknown>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const v = carrier[key];
    return typeof v === 'string' ? v : undefined;
  },
};

/** Where a job's processing hangs: the producer's context, or a new trace linked to it. */
export interface JobOrigin {
  readonly parent: Context;
  readonly link: SpanContext | undefined;
}

const NO_ORIGIN: JobOrigin = Object.freeze({ parent: ROOT_CONTEXT, link: undefined });

/** The origin of `job` from the context it carries. */
export function jobOrigin(job: JobLike): JobOrigin {
  const carrier = metadataCarrier(job);
  if (carrier === undefined) return NO_ORIGIN;
  const producer = propagation.extract(ROOT_CONTEXT, carrier, carrierGetter);
  if (!isRepeated(job)) return { parent: producer, link: undefined };
  return { parent: ROOT_CONTEXT, link: getSpan(producer)?.spanContext() };
}

/** `Worker#callProcessJob`: a CONSUMER span per attempt. */
export function wrapCallProcessJob(kit: InstrumentationKit): MakeWrapper {
  return (original: AnyFunction) =>
    function callProcessJob(this: BullmqInstance, ...args: unknown[]): unknown {
      const job = args[0] as JobLike | undefined;
      if (!kit.active || job === null || typeof job !== 'object' || hasOwnTelemetry(this)) return original.apply(this, args);
      const spec = kit.safe(processSpec, { queue: this.name, job });
      if (spec === undefined) return original.apply(this, args);
      const origin = kit.safe(jobOrigin, job) ?? NO_ORIGIN;
      const call = startCall(kit, spec, origin.parent);
      if (origin.link !== undefined) kit.safe2(addLink, call.span, origin.link);
      return traceCall(call, original, this, args);
    };
}

function addLink(span: { addLink?: (link: { context: SpanContext }) => unknown }, link: SpanContext): void {
  if (typeof span.addLink === 'function') span.addLink({ context: link });
}

/**
 * `Worker#run` and `QueueEvents#run`: the library's loops (blocking fetches, lock renewals,
 * stalled-job checks, event reads) run detached from whoever started them, so a worker made
 * inside a request never hangs its endless traffic on that request, and each job's span
 * starts from the job's own context. The returned promise settles in the caller's context.
 */
export function wrapLoop(kit: InstrumentationKit): MakeWrapper {
  return (original: AnyFunction) =>
    function run(this: unknown, ...args: unknown[]): unknown {
      if (!kit.active) return original.apply(this, args);
      return context.apply(ROOT_CONTEXT, original, this, args);
    };
}
