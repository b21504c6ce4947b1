import {
  context,
  isTracingSuppressed,
  propagation,
  setSpan,
  startCall,
  suppressTracing,
  ATTR_MESSAGING_MESSAGE_ID,
  type AnyFunction,
  type Context,
  type InstrumentationKit,
  type MakeWrapper,
  type SpanCall,
  type SpanSpec,
} from '../../src/instrument';
import {
  addedJobId,
  addSpec,
  batchSpec,
  entriesWithMetadata,
  flowSize,
  flowWithMetadata,
  schedulerSpec,
  withMetadata,
  type JobEntry,
  type JobOpts,
} from './recipe';

/**
 * The producer side: `Queue#add`, `Queue#addBulk`, `Queue#upsertJobScheduler`,
 * `FlowProducer#add` and `FlowProducer#addBulk` each make one PRODUCER span, and every job
 * they add carries that span's context in `opts.telemetry.metadata` (BullMQ's own field for
 * it, stored with the job's options), as a JSON object of the registered propagator's
 * fields. The job's data is never touched, so the processor sees exactly what was added;
 * the app's options objects are never changed (copies go to BullMQ).
 *
 * BullMQ's own Redis traffic inside these calls (a Lua script per job: EVALSHA with an
 * opaque hash, keys and serialized options) runs with tracing suppressed: the PRODUCER span
 * already is the operation, and a client span per script call only repeats it with
 * internals users never wrote. Commands the app issues itself, before or after, are traced
 * as usual; so are those of a processor (see process.ts).
 */

/** Something with BullMQ's `opts` (a Queue, Worker or FlowProducer). */
export interface BullmqInstance {
  readonly name?: unknown;
  readonly opts?: { readonly telemetry?: unknown } | null;
}

/**
 * True when the instance was given BullMQ's own `telemetry` option: it then makes its own
 * spans and carries context itself, and we leave it alone rather than double every span.
 */
export function hasOwnTelemetry(instance: BullmqInstance): boolean {
  return instance.opts?.telemetry != null;
}

/** The context of `call`'s span as job metadata, or undefined when the propagators write nothing. */
function metadataOf(call: SpanCall): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(setSpan(call.parent, call.span), carrier);
  return Object.keys(carrier).length === 0 ? undefined : JSON.stringify(carrier);
}

function setJobId(call: SpanCall, result: unknown): void {
  const id = addedJobId(result);
  if (id !== undefined) call.span.setAttribute(ATTR_MESSAGING_MESSAGE_ID, id);
}

/**
 * Runs the producing call inside its span with tracing suppressed below it, and ends the
 * span when the returned promise settles (the caller keeps its own promise). `single` says
 * whether the result is one job whose id the span records.
 */
function produce(kit: InstrumentationKit, call: SpanCall, original: AnyFunction, self: unknown, args: unknown[], single: boolean): unknown {
  let result: unknown;
  try {
    result = context.apply(suppressTracing(setSpan(call.parent, call.span)), original, self, args);
  } catch (err) {
    call.fail(err);
    throw err;
  }
  if (result === null || typeof (result as { then?: unknown } | undefined)?.then !== 'function') {
    call.end();
    return result;
  }
  (result as PromiseLike<unknown>).then(
    (value) => {
      if (single) kit.safe2(setJobId, call, value);
      call.end();
    },
    (err: unknown) => call.fail(err),
  );
  return result;
}

/** How one producing method is read: its span, and its arguments rewritten to carry `metadata`. */
interface ProducerShape {
  spec(self: BullmqInstance, args: unknown[]): SpanSpec;
  /** Writes the carrying copies into `args`. */
  inject(args: unknown[], metadata: string): void;
  /** The result is one job (its id goes on the span). */
  single: boolean;
}

function wrapProducer(kit: InstrumentationKit, shape: ProducerShape): MakeWrapper {
  const specOf = (a: { self: BullmqInstance; args: unknown[] }) => shape.spec(a.self, a.args);
  const inject = (a: { args: unknown[]; call: SpanCall }) => {
    const metadata = metadataOf(a.call);
    if (metadata !== undefined) shape.inject(a.args, metadata);
  };
  return (original: AnyFunction) =>
    function producer(this: BullmqInstance, ...args: unknown[]): unknown {
      if (!kit.active || hasOwnTelemetry(this)) return original.apply(this, args);
      const parent: Context = context.active();
      if (isTracingSuppressed(parent)) return original.apply(this, args);
      const spec = kit.safe(specOf, { self: this, args });
      if (spec === undefined) return original.apply(this, args);
      const call = startCall(kit, spec, parent);
      kit.safe(inject, { args, call });
      return produce(kit, call, original, this, args, shape.single);
    };
}

/** `Queue#add(name, data, opts)`. */
export function wrapAdd(kit: InstrumentationKit): MakeWrapper {
  return wrapProducer(kit, {
    spec: (queue, args) => addSpec({ queue: queue.name, name: args[0], opts: args[2] as JobOpts | undefined }),
    inject: (args, metadata) => {
      const opts = withMetadata(args[2] as JobOpts | undefined, metadata);
      if (opts !== undefined) args[2] = opts;
    },
    single: true,
  });
}

/** `Queue#addBulk(jobs)`. */
export function wrapAddBulk(kit: InstrumentationKit): MakeWrapper {
  return wrapProducer(kit, {
    spec: (queue, args) => batchSpec({ queue: queue.name, count: Array.isArray(args[0]) ? args[0].length : 0 }),
    inject: (args, metadata) => {
      if (Array.isArray(args[0])) args[0] = entriesWithMetadata(args[0] as JobEntry[], metadata);
    },
    single: false,
  });
}

/** `Queue#upsertJobScheduler(id, repeatOpts, template)`: the template's options carry the context. */
export function wrapUpsertJobScheduler(kit: InstrumentationKit): MakeWrapper {
  return wrapProducer(kit, {
    spec: (queue, args) => schedulerSpec({ queue: queue.name, scheduler: args[0], template: args[2] as JobEntry | undefined }),
    inject: (args, metadata) => {
      const template = (args[2] ?? {}) as JobEntry;
      if (typeof template !== 'object') return;
      const opts = withMetadata(template.opts, metadata);
      if (opts !== undefined) args[2] = { ...template, opts };
    },
    single: true,
  });
}

/** `FlowProducer#add(flow, opts)`: every node of the tree carries the context. */
export function wrapFlowAdd(kit: InstrumentationKit): MakeWrapper {
  return wrapProducer(kit, {
    spec: (_flows, args) => batchSpec({ queue: (args[0] as JobEntry | undefined)?.queueName, count: flowSize([args[0]]) }),
    inject: (args, metadata) => {
      if (args[0] !== null && typeof args[0] === 'object') args[0] = flowWithMetadata(args[0] as JobEntry, metadata);
    },
    single: true,
  });
}

/** `FlowProducer#addBulk(flows)`: flows may go to several queues; the span names one only if all do. */
export function wrapFlowAddBulk(kit: InstrumentationKit): MakeWrapper {
  return wrapProducer(kit, {
    spec: (_flows, args) => {
      const flows = Array.isArray(args[0]) ? (args[0] as JobEntry[]) : [];
      const queues = new Set(flows.map((f) => f?.queueName));
      return batchSpec({ queue: queues.size === 1 ? flows[0]?.queueName : undefined, count: flowSize(flows) });
    },
    inject: (args, metadata) => {
      if (Array.isArray(args[0])) args[0] = (args[0] as JobEntry[]).map((f) => flowWithMetadata(f, metadata));
    },
    single: false,
  });
}
