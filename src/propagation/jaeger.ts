import {
  isSpanContextValid,
  propagation,
  trace,
  TraceFlags,
  type BaggageEntry,
  type Context,
  type SpanContext,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';
import { isTracingSuppressed } from '../suppress';
import { firstValue } from './carrier';
import { isToken, trimOws } from './chars';

const UBER_TRACE_ID = 'uber-trace-id';
const BAGGAGE_PREFIX = 'uberctx-';
const ZEROS = '00000000000000000000000000000000';

/**
 * A Jaeger id: 1..`width` hex digits of either case (Jaeger clients parse base16 without
 * a case rule), left-padded with zeros to `width` and lowercased for OpenTelemetry.
 */
function readId(s: string, width: number): string | undefined {
  if (s.length === 0 || s.length > width) return undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const hex = (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
    if (!hex) return undefined;
  }
  const lower = s.toLowerCase();
  return lower.length === width ? lower : ZEROS.slice(0, width - lower.length) + lower;
}

/** True for `uberctx-{key}` names with a non-empty key; header names are case-insensitive. */
function hasBaggagePrefix(name: string): boolean {
  return name.length > BAGGAGE_PREFIX.length && name.slice(0, BAGGAGE_PREFIX.length).toLowerCase() === BAGGAGE_PREFIX;
}

/** Percent-decodes, or undefined when the escapes are malformed. */
function decode(s: string): string | undefined {
  if (s.indexOf('%') === -1) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

/**
 * Parses `{trace-id}:{span-id}:{parent-span-id}:{flags}` (Jaeger client-libraries docs,
 * "Propagation Format"). Ids may be shorter than 32/16 digits and are zero-padded; the
 * parent id is deprecated and only checked to be hex; flags are one or two hex digits with
 * bit 1 = sampled. Some proxies send the colons URL-encoded as `%3A`, so the value is
 * percent-decoded first.
 */
function parseUberTraceId(header: string): Omit<SpanContext, 'isRemote'> | undefined {
  const value = decode(trimOws(header));
  if (value === undefined) return undefined;
  const parts = value.split(':');
  if (parts.length !== 4) return undefined;
  const traceId = readId(parts[0]!, 32);
  const spanId = readId(parts[1]!, 16);
  const parent = readId(parts[2]!, 16);
  const flags = readId(parts[3]!, 2);
  if (traceId === undefined || spanId === undefined || parent === undefined || flags === undefined) {
    return undefined;
  }
  const traceFlags = (parseInt(flags, 16) & 0x01) !== 0 ? TraceFlags.SAMPLED : TraceFlags.NONE;
  return { traceId, spanId, traceFlags };
}

/** Jaeger propagator: `uber-trace-id` for the span context and `uberctx-{key}` headers for baggage. */
export class JaegerPropagator implements TextMapPropagator {
  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    if (isTracingSuppressed(context)) return;
    const sc = trace.getSpanContext(context);
    if (sc !== undefined && isSpanContextValid(sc)) {
      // Parent id 0: the field is deprecated and Jaeger clients send 0 themselves.
      const flags = (sc.traceFlags & TraceFlags.SAMPLED) !== 0 ? '01' : '00';
      setter.set(carrier, UBER_TRACE_ID, `${sc.traceId}:${sc.spanId}:0:${flags}`);
    }
    // Baggage travels independently of the span context, as with the W3C baggage header.
    const baggage = propagation.getBaggage(context);
    if (baggage === undefined) return;
    for (const [key, entry] of baggage.getAllEntries()) {
      // The key becomes part of a header name, so it must be a token.
      if (!isToken(key) || typeof entry.value !== 'string') continue;
      let value: string;
      try {
        value = encodeURIComponent(entry.value);
      } catch {
        continue; // lone surrogate: not encodable
      }
      setter.set(carrier, BAGGAGE_PREFIX + key, value);
    }
  }

  /** Reads the span context and adds any `uberctx-` entries to the context's baggage. */
  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    let next = context;
    const header = firstValue(getter, carrier, UBER_TRACE_ID);
    if (header !== undefined) {
      const parsed = parseUberTraceId(header);
      if (parsed !== undefined) {
        const sc = { ...parsed, isRemote: true };
        // "Value of 0 is invalid" for trace and span ids.
        if (isSpanContextValid(sc)) next = trace.setSpanContext(next, sc);
      }
    }
    const entries: Array<[string, BaggageEntry]> = [];
    for (const name of getter.keys(carrier)) {
      if (!hasBaggagePrefix(name)) continue;
      const raw = firstValue(getter, carrier, name);
      const value = raw === undefined ? undefined : decode(trimOws(raw));
      if (value !== undefined) entries.push([name.slice(BAGGAGE_PREFIX.length), { value }]);
    }
    if (entries.length === 0) return next;
    let baggage = propagation.getBaggage(next) ?? propagation.createBaggage();
    for (const [key, entry] of entries) baggage = baggage.setEntry(key, entry);
    return propagation.setBaggage(next, baggage);
  }

  /** Only the fixed header: baggage header names depend on the keys. */
  fields(): string[] {
    return [UBER_TRACE_ID];
  }
}
