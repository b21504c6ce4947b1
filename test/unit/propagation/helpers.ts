import {
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  trace,
  TraceFlags,
  type Context,
  type SpanContext,
  type TextMapPropagator,
} from '@opentelemetry/api';

/** A header carrier as Node's IncomingMessage.headers shapes it: lowercase names. */
export type Headers = Record<string, string | string[]>;

/** Extracts from `headers` into `base` (ROOT_CONTEXT by default). */
export function extract(p: TextMapPropagator, headers: Headers, base: Context = ROOT_CONTEXT): Context {
  return p.extract(base, headers, defaultTextMapGetter);
}

/** The span context extract produced from `headers`, if any. */
export function extractSpanContext(p: TextMapPropagator, headers: Headers): SpanContext | undefined {
  return trace.getSpanContext(extract(p, headers));
}

/** Injects `ctx` into a fresh carrier and returns it. */
export function inject(p: TextMapPropagator, ctx: Context): Record<string, string> {
  const carrier: Record<string, string> = {};
  p.inject(ctx, carrier, defaultTextMapSetter);
  return carrier;
}

export const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
export const SPAN_ID = '00f067aa0ba902b7';

/** A context holding a local span context with the given ids and flags. */
export function contextWith(sc: Partial<SpanContext> = {}, base: Context = ROOT_CONTEXT): Context {
  return trace.setSpanContext(base, {
    traceId: TRACE_ID,
    spanId: SPAN_ID,
    traceFlags: TraceFlags.SAMPLED,
    isRemote: false,
    ...sc,
  });
}
