import {
  trace,
  SpanKind,
  INVALID_SPAN_CONTEXT,
  type Context,
  type Span as ApiSpan,
  type SpanContext,
  type SpanOptions,
  type Tracer as ApiTracer,
  type TraceState,
  type Attributes,
  type TimeInput,
} from '@opentelemetry/api';
import type { SpanLimits } from '../config';
import type { InstrumentationScope } from '../export/span-record';
import { isTracingSuppressed } from '../suppress';
import { TraceId } from '../span-context/ids';
import type { SampleDecision } from './sampler';
import { Span, type SpanSink } from './span';
import { activeContext, withContext } from './context-manager';
import { SpanIdentity } from '../span-context/span-identity';
import { RemoteSpanContext } from '../span-context/remote-span-context';
import { SAMPLING_REQUEST_KEY } from '../span-context/sampling-request';
import { UnsampledSpan } from './unsampled-span';

/** Shared state of all tracers of one provider. */
export interface TracerState {
  readonly sample: SampleDecision;
  /** A tracestate holding `ot=th:<th>`, for roots sampled by a recorded probability. */
  readonly thresholdState?: ((th: string) => TraceState) | undefined;
  readonly limits: SpanLimits;
  readonly sink: SpanSink;
}

const HEX32 = /^[0-9a-f]{32}$/;
const HEX16 = /^[0-9a-f]{16}$/;

/**
 * A parent span context is used only when valid; one handed in by a hand-written
 * `trace.setSpanContext` could be anything, so it is checked here, once per span.
 */
function validParent(sc: SpanContext | undefined): SpanContext | undefined {
  if (sc === undefined) return undefined;
  if (!HEX32.test(sc.traceId) || !HEX16.test(sc.spanId)) return undefined;
  if (sc.traceId === INVALID_SPAN_CONTEXT.traceId || sc.spanId === INVALID_SPAN_CONTEXT.spanId) return undefined;
  return sc;
}

/** An @opentelemetry/api Tracer for one instrumentation scope. */
export class Tracer implements ApiTracer {
  readonly #scope: InstrumentationScope;
  readonly #state: TracerState;

  constructor(scope: InstrumentationScope, state: TracerState) {
    this.#scope = scope;
    this.#state = state;
  }

  startSpan(name: string, options?: SpanOptions, ctx: Context = activeContext()): ApiSpan {
    if (options === undefined) return this.#start(name, SpanKind.INTERNAL, undefined, false, undefined, false, ctx);
    const span = this.#start(name, options.kind ?? SpanKind.INTERNAL, options.attributes, false, options.startTime, options.root === true, ctx);
    if (options.links !== undefined && span instanceof Span) span.addLinks(options.links);
    return span;
  }

  /**
   * startSpan for the agent's instrumentations (through the kit): the span keeps
   * `attributes`, a fresh object the caller hands over and no longer changes, instead of
   * copying it, and no options object is needed.
   */
  startSpanOwning(name: string, kind: SpanKind, attributes: Attributes | undefined, ctx: Context, startTime?: TimeInput): ApiSpan {
    return this.#start(name, kind, attributes, true, startTime, false, ctx);
  }

  #start(
    name: string,
    kind: SpanKind,
    attributes: Attributes | undefined,
    owned: boolean,
    startTime: TimeInput | undefined,
    root: boolean,
    ctx: Context,
  ): ApiSpan {
    if (isTracingSuppressed(ctx)) return trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
    let traceId: TraceId | undefined;
    let local: SpanIdentity | undefined;
    let remote: SpanContext | undefined;
    let traceState: TraceState | undefined;
    let parentSampled: boolean | undefined;
    const parentSpan = root ? undefined : trace.getSpan(ctx);
    if (parentSpan instanceof SpanIdentity) {
      // A span of ours: continue its trace from the words, no hex needed.
      local = parentSpan;
      traceId = parentSpan.trace;
      traceState = parentSpan.traceStateObject;
      parentSampled = (parentSpan.traceFlags & 1) === 1;
    } else if (parentSpan !== undefined) {
      const sc = parentSpan.spanContext();
      const parsed = sc instanceof RemoteSpanContext ? sc.parsedTrace() : undefined;
      if (parsed !== undefined) {
        // Read from a header by our propagator: valid, and the words are already there.
        remote = sc;
        traceId = parsed;
      } else {
        remote = validParent(sc);
        if (remote !== undefined) traceId = TraceId.fromHex(remote.traceId, remote.traceFlags);
      }
      if (remote !== undefined) {
        traceState = remote.traceState;
        parentSampled = (remote.traceFlags & 1) === 1;
      }
    }
    if (traceId === undefined) {
      traceId = TraceId.random();
      // A sampling decision sent without ids (B3's `b3: 1`, `X-B3-Sampled: 0`): a root
      // started under it honours the decision like a parent's flag.
      const request = ctx.getValue(SAMPLING_REQUEST_KEY);
      if (request !== undefined) parentSampled = request !== 'deny';
    }
    const state = this.#state;
    const decision = state.sample(parentSampled, traceId, name, attributes);
    if (decision === false) return new UnsampledSpan(traceId, traceId.randomFlag, traceState, local, remote);
    if (decision !== true && traceState === undefined && state.thresholdState !== undefined) traceState = state.thresholdState(decision);
    const span = new Span(
      this.#scope,
      state.limits,
      state.sink,
      traceId,
      traceState,
      local,
      remote,
      String(name),
      kind,
      startTime,
    );
    if (attributes !== undefined && attributes !== null) span.initialAttributes(attributes, owned);
    return span;
  }

  startActiveSpan<F extends (span: ApiSpan) => unknown>(name: string, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: ApiSpan) => unknown>(name: string, options: SpanOptions, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: ApiSpan) => unknown>(
    name: string,
    options: SpanOptions,
    ctx: Context,
    fn: F,
  ): ReturnType<F>;
  startActiveSpan<F extends (span: ApiSpan) => unknown>(
    name: string,
    a?: SpanOptions | F,
    b?: Context | F,
    c?: F,
  ): ReturnType<F> | undefined {
    let options: SpanOptions | undefined;
    let ctx: Context | undefined;
    let fn: F;
    if (typeof a === 'function') fn = a;
    else if (typeof b === 'function') {
      options = a;
      fn = b;
    } else {
      options = a;
      ctx = b;
      fn = c as F;
    }
    if (typeof fn !== 'function') return undefined;
    const parentCtx = ctx ?? activeContext();
    const span = this.startSpan(name, options, parentCtx);
    return withContext(trace.setSpan(parentCtx, span), fn as (s: ApiSpan) => ReturnType<F>, undefined, span);
  }
}
