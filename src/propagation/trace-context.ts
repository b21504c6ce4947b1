import {
  trace,
  type Context,
  type SpanContext,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';
import { isTracingSuppressed } from '../suppress';
import { combinedValue } from './carrier';
import { BYTE_HEX, isOws, lowerHexValue, lowerHexWord } from './chars';
import { TraceId } from '../span-context/ids';
import { RemoteSpanContext, validSpanContextOf } from '../span-context/remote-span-context';
import { parseTraceState, truncateTraceState } from './trace-state';

const TRACEPARENT = 'traceparent';
const TRACESTATE = 'tracestate';
const DASH = 0x2d;
/** `00-` + 32 + `-` + 16 + `-` + 2: the whole version-00 header. */
const VERSION_00_LENGTH = 55;

/**
 * Parses a traceparent value per W3C Trace Context ("traceparent Header Field Values" and
 * "Versioning of traceparent"). Leading and trailing spaces/tabs are ignored (the official
 * test suite's test_traceparent_ows_handling). Version `ff` is invalid; version 00 must be
 * exactly 55 characters; a higher version must be at least 55 and, if longer, continue
 * with `-` after the flags, and is then read with the version-00 layout (flags kept as
 * sent). Hex must be lowercase and neither id may be all zeros. Checks run on char codes
 * over the original string so the only allocations are the two id slices and the result.
 */
export function parseTraceParent(value: string): SpanContext | undefined {
  let start = 0;
  let end = value.length;
  while (start < end && isOws(value.charCodeAt(start))) start++;
  while (end > start && isOws(value.charCodeAt(end - 1))) end--;
  const length = end - start;
  if (length < VERSION_00_LENGTH) return undefined;

  const v0 = lowerHexValue(value.charCodeAt(start));
  const v1 = lowerHexValue(value.charCodeAt(start + 1));
  if (v0 < 0 || v1 < 0) return undefined;
  const version = v0 * 16 + v1;
  if (version === 0xff) return undefined;
  if (version === 0) {
    if (length !== VERSION_00_LENGTH) return undefined;
  } else if (length > VERSION_00_LENGTH && value.charCodeAt(start + VERSION_00_LENGTH) !== DASH) {
    // A later version may append fields, but only after another dash.
    return undefined;
  }

  if (
    value.charCodeAt(start + 2) !== DASH ||
    value.charCodeAt(start + 35) !== DASH ||
    value.charCodeAt(start + 52) !== DASH
  ) {
    return undefined;
  }
  // The trace id's words are read while validating: a child span continues from them.
  const w0 = lowerHexWord(value, start + 3);
  const w1 = lowerHexWord(value, start + 11);
  const w2 = lowerHexWord(value, start + 19);
  const w3 = lowerHexWord(value, start + 27);
  if (w0 < 0 || w1 < 0 || w2 < 0 || w3 < 0 || w0 + w1 + w2 + w3 === 0) return undefined;
  const s0 = lowerHexWord(value, start + 36);
  const s1 = lowerHexWord(value, start + 44);
  if (s0 < 0 || s1 < 0 || s0 + s1 === 0) return undefined;
  const f0 = lowerHexValue(value.charCodeAt(start + 53));
  const f1 = lowerHexValue(value.charCodeAt(start + 54));
  if (f0 < 0 || f1 < 0) return undefined;

  const flags = f0 * 16 + f1;
  const traceId = TraceId.fromWords(value.slice(start + 3, start + 35), w0, w1, w2, w3, flags);
  return new RemoteSpanContext(traceId, value.slice(start + 36, start + 52), flags);
}

/** The traceparent we send: always version 00, the highest version this code knows. */
export function formatTraceParent(sc: SpanContext): string {
  return `00-${sc.traceId}-${sc.spanId}-${BYTE_HEX[sc.traceFlags & 0xff]}`;
}

/** W3C Trace Context propagator for the `traceparent` and `tracestate` headers. */
export class W3CTraceContextPropagator implements TextMapPropagator {
  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const span = trace.getSpan(context);
    if (span === undefined || isTracingSuppressed(context)) return;
    const sc = validSpanContextOf(span);
    if (sc === undefined) return;
    setter.set(carrier, TRACEPARENT, formatTraceParent(sc));
    if (sc.traceState !== undefined) {
      const state = truncateTraceState(sc.traceState.serialize());
      // "Vendors ... SHOULD avoid sending" an empty tracestate.
      if (state.length > 0) setter.set(carrier, TRACESTATE, state);
    }
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const raw = getter.get(carrier, TRACEPARENT);
    let header: string | undefined;
    if (Array.isArray(raw)) {
      // Two traceparent fields cannot both describe the parent: the test suite expects a
      // restart (test_traceparent_duplicated).
      if (raw.length !== 1) return context;
      header = raw[0];
    } else {
      header = raw;
    }
    if (typeof header !== 'string') return context;
    const sc = parseTraceParent(header);
    if (sc === undefined) return context;
    // tracestate is only read once traceparent is valid ("Tracestate Header"), and its
    // repeated fields are combined with "," first.
    const state = combinedValue(getter, carrier, TRACESTATE);
    if (state !== undefined) {
      const traceState = parseTraceState(state);
      if (traceState !== undefined) sc.traceState = traceState;
    }
    return trace.setSpanContext(context, sc);
  }

  fields(): string[] {
    return [TRACEPARENT, TRACESTATE];
  }
}
