import {
  context as apiContext,
  trace,
  SpanKind,
  INVALID_SPAN_CONTEXT,
  type Context,
  type Span as ApiSpan,
  type SpanContext,
  type SpanOptions,
  type Tracer as ApiTracer,
} from '@opentelemetry/api';
import type { SpanLimits } from '../config';
import type { InstrumentationScope } from '../export/span-record';
import { isTracingSuppressed } from '../suppress';
import { newSpanId, newTraceId } from './ids';
import type { SampleDecision } from './sampler';
import { Span, type SpanSink } from './span';

/** Shared state of all tracers of one provider. */
export interface TracerState {
  readonly sample: SampleDecision;
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

  startSpan(name: string, options?: SpanOptions, ctx: Context = apiContext.active()): ApiSpan {
    if (isTracingSuppressed(ctx)) return trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
    const parent = options?.root ? undefined : validParent(trace.getSpanContext(ctx));
    const traceId = parent === undefined ? newTraceId() : parent.traceId;
    const spanId = newSpanId();
    const state = this.#state;
    const sampled = state.sample(parent, traceId);
    const spanContext: SpanContext = {
      traceId,
      spanId,
      traceFlags: sampled ? 1 : 0,
      traceState: parent?.traceState,
    };
    // Unsampled: the API's non-recording span carries the ids on for propagation and
    // costs one small object; nothing is recorded or queued.
    if (!sampled) return trace.wrapSpanContext(spanContext);
    const span = new Span(
      this.#scope,
      state.limits,
      state.sink,
      spanContext,
      String(name),
      options?.kind ?? SpanKind.INTERNAL,
      parent,
      options?.startTime,
    );
    if (options !== undefined) {
      if (options.attributes !== undefined) span.setAttributes(options.attributes);
      if (options.links !== undefined) span.addLinks(options.links);
    }
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
    const parentCtx = ctx ?? apiContext.active();
    const span = this.startSpan(name, options, parentCtx);
    return apiContext.with(trace.setSpan(parentCtx, span), fn as (s: ApiSpan) => ReturnType<F>, undefined, span);
  }
}
