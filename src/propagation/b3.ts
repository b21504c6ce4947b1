import {
  createContextKey,
  isSpanContextValid,
  trace,
  TraceFlags,
  type Context,
  type SpanContext,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';
import { isTracingSuppressed } from '../suppress';
import { SAMPLING_REQUEST_KEY, type SamplingRequest } from '../span-context/sampling-request';
import { firstValue } from './carrier';
import { isNonZeroLowerHex, trimOws } from './chars';

/**
 * Marks a context extracted from a B3 debug trace (`b3: …-d` or `X-B3-Flags: 1`), so the
 * debug decision is sent on downstream instead of being flattened to "sampled".
 */
export const B3_DEBUG_FLAG_KEY = createContextKey('waymark B3 debug flag');

const B3 = 'b3';
const TRACE_ID = 'x-b3-traceid';
const SPAN_ID = 'x-b3-spanid';
const PARENT_SPAN_ID = 'x-b3-parentspanid';
const SAMPLED = 'x-b3-sampled';
const FLAGS = 'x-b3-flags';
const TRACE_ID_PAD = '0000000000000000';

/** What a B3 encoding carried: ids (when present) and the sampling state. */
interface B3State {
  traceId?: string;
  spanId?: string;
  /** undefined = "defer" (no decision sent). */
  sampled?: boolean;
  debug: boolean;
}

/** A TraceId is 32 or 16 lower-hex chars; 64-bit ids are left-padded to OTel's 128 bits. */
function readTraceId(s: string): string | undefined {
  if ((s.length !== 32 && s.length !== 16) || !isNonZeroLowerHex(s, 0, s.length)) return undefined;
  return s.length === 16 ? TRACE_ID_PAD + s : s;
}

/** SpanId and ParentSpanId are 16 lower-hex chars. */
function isSpanId(s: string): boolean {
  return s.length === 16 && isNonZeroLowerHex(s, 0, 16);
}

/** The sampling-only forms: ids omitted, only a decision propagated. */
function samplingRequestOf(state: B3State): SamplingRequest | undefined {
  if (state.debug) return 'debug';
  if (state.sampled === undefined) return undefined;
  return state.sampled ? 'accept' : 'deny';
}

/**
 * Parses `b3: {TraceId}-{SpanId}-{SamplingState}-{ParentSpanId}` (the last two optional,
 * SamplingState one of 1/0/d) or the sampling-only `b3: 0|1|d`. ParentSpanId may only
 * follow a SamplingState, so three fields must end in a state. Undefined when malformed.
 */
function parseSingle(header: string): B3State | undefined {
  const s = trimOws(header);
  if (s.length === 1) {
    if (s === 'd') return { debug: true };
    if (s === '1' || s === '0') return { sampled: s === '1', debug: false };
    return undefined;
  }
  const parts = s.split('-');
  if (parts.length < 2 || parts.length > 4) return undefined;
  const traceId = readTraceId(parts[0]!);
  if (traceId === undefined || !isSpanId(parts[1]!)) return undefined;
  const sampling = parts[2];
  if (sampling !== undefined && sampling !== '0' && sampling !== '1' && sampling !== 'd') return undefined;
  if (parts.length === 4 && !isSpanId(parts[3]!)) return undefined;
  const debug = sampling === 'd';
  const sampled = sampling === undefined ? undefined : debug || sampling === '1';
  return { traceId, spanId: parts[1]!, sampled, debug };
}

/**
 * Reads the `X-B3-*` headers. `X-B3-Sampled` is 1/0, with the legacy true/false also
 * accepted on input; `X-B3-Flags: 1` is debug, any other Flags value is ignored.
 */
function parseMulti<C>(carrier: C, getter: TextMapGetter<C>): B3State | undefined {
  const rawTrace = firstValue(getter, carrier, TRACE_ID);
  const rawSpan = firstValue(getter, carrier, SPAN_ID);
  const rawSampled = firstValue(getter, carrier, SAMPLED);
  const rawFlags = firstValue(getter, carrier, FLAGS);
  const sampledText = rawSampled === undefined ? undefined : trimOws(rawSampled);
  let sampled: boolean | undefined;
  if (sampledText === '1' || sampledText === 'true') sampled = true;
  else if (sampledText === '0' || sampledText === 'false') sampled = false;
  const debug = rawFlags !== undefined && trimOws(rawFlags) === '1';
  if (rawTrace === undefined && rawSpan === undefined) return { sampled, debug };
  if (rawTrace === undefined || rawSpan === undefined) return undefined;
  const traceId = readTraceId(trimOws(rawTrace));
  const spanId = trimOws(rawSpan);
  if (traceId === undefined || !isSpanId(spanId)) return undefined;
  const rawParent = firstValue(getter, carrier, PARENT_SPAN_ID);
  if (rawParent !== undefined && !isSpanId(trimOws(rawParent))) return undefined;
  return { traceId, spanId, sampled: debug || sampled, debug };
}

/** Applies a parsed B3 state to `context`. Debug implies sampled (README, "Debug"). */
function applyState(context: Context, state: B3State | undefined): Context {
  if (state === undefined) return context;
  if (state.traceId === undefined || state.spanId === undefined) {
    const request = samplingRequestOf(state);
    return request === undefined ? context : context.setValue(SAMPLING_REQUEST_KEY, request);
  }
  const sc: SpanContext = {
    traceId: state.traceId,
    spanId: state.spanId,
    traceFlags: state.sampled === true ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
  };
  let next = trace.setSpanContext(context, sc);
  if (state.debug) next = next.setValue(B3_DEBUG_FLAG_KEY, true);
  else if (next.getValue(B3_DEBUG_FLAG_KEY) !== undefined) next = next.deleteValue(B3_DEBUG_FLAG_KEY);
  return next;
}

/** The span context to inject, or undefined when nothing may be sent. */
function injectable(context: Context): SpanContext | undefined {
  const sc = trace.getSpanContext(context);
  if (sc === undefined || isTracingSuppressed(context) || !isSpanContextValid(sc)) return undefined;
  return sc;
}

/** Debug is only re-sent while the span is still sampled, since debug implies sampled. */
function isDebug(context: Context, sc: SpanContext): boolean {
  return context.getValue(B3_DEBUG_FLAG_KEY) === true && (sc.traceFlags & TraceFlags.SAMPLED) !== 0;
}

class B3SinglePropagator implements TextMapPropagator {
  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const sc = injectable(context);
    if (sc === undefined) return;
    const sampling = isDebug(context, sc) ? 'd' : (sc.traceFlags & TraceFlags.SAMPLED) !== 0 ? '1' : '0';
    setter.set(carrier, B3, `${sc.traceId}-${sc.spanId}-${sampling}`);
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const header = firstValue(getter, carrier, B3);
    return header === undefined ? context : applyState(context, parseSingle(header));
  }

  fields(): string[] {
    return [B3];
  }
}

class B3MultiPropagator implements TextMapPropagator {
  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const sc = injectable(context);
    if (sc === undefined) return;
    setter.set(carrier, TRACE_ID, sc.traceId);
    setter.set(carrier, SPAN_ID, sc.spanId);
    // "Debug implies Sampled, so don't also send X-B3-Sampled: 1" (README, "Debug Flag").
    if (isDebug(context, sc)) setter.set(carrier, FLAGS, '1');
    else setter.set(carrier, SAMPLED, (sc.traceFlags & TraceFlags.SAMPLED) !== 0 ? '1' : '0');
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    return applyState(context, parseMulti(carrier, getter));
  }

  fields(): string[] {
    return [TRACE_ID, SPAN_ID, PARENT_SPAN_ID, SAMPLED, FLAGS];
  }
}

/** A propagator for the single `b3` header (openzipkin/b3-propagation, "Single Header"). */
export function createB3SinglePropagator(): TextMapPropagator {
  return new B3SinglePropagator();
}

/** A propagator for the `X-B3-*` headers (openzipkin/b3-propagation, "Multiple Headers"). */
export function createB3MultiPropagator(): TextMapPropagator {
  return new B3MultiPropagator();
}
