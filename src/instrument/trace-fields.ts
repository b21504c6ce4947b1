import type { SpanContext } from '@opentelemetry/api';
import { context, getSpan } from './context';

/**
 * The trace context a log record carries, under the field names of OpenTelemetry's
 * "Trace Context in non-OTLP Log Formats" (the names instrumentation-pino, -winston and
 * -bunyan write): ids lower-case hex, flags in the W3C two-digit hex form.
 * https://opentelemetry.io/docs/specs/otel/compatibility/logging_trace_context/
 */
export const TRACE_ID_FIELD = 'trace_id';
export const SPAN_ID_FIELD = 'span_id';
export const TRACE_FLAGS_FIELD = 'trace_flags';

/** The three fields as one object (the shape every record gets, so V8 sees one hidden class). */
export interface TraceFields {
  trace_id: string;
  span_id: string;
  trace_flags: string;
}

const INVALID_TRACE_ID = '00000000000000000000000000000000';
const INVALID_SPAN_ID = '0000000000000000';

// Flags are one byte: its 256 two-digit spellings made once, so no record formats a number.
const FLAGS_HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * The span context of the active span when it can be joined to a trace (sampled or not:
 * `trace_flags` tells which), else undefined. The ids are checked by length and against
 * the all-zero values only: the API's check runs two regular expressions per call, and
 * this runs once per log record.
 */
export function activeSpanContext(): SpanContext | undefined {
  const span = getSpan(context.active());
  if (span === undefined) return undefined;
  const sc = span.spanContext();
  const { traceId, spanId } = sc;
  if (traceId.length !== 32 || spanId.length !== 16 || traceId === INVALID_TRACE_ID || spanId === INVALID_SPAN_ID) return undefined;
  return sc;
}

/** `01` for sampled, `00` for not: the W3C trace-flags byte as two lower-case hex digits. */
export function traceFlagsHex(flags: number): string {
  return FLAGS_HEX[flags & 0xff]!;
}

/** A fresh object with the three fields of `sc`. */
export function traceFieldsOf(sc: SpanContext): TraceFields {
  return { trace_id: sc.traceId, span_id: sc.spanId, trace_flags: FLAGS_HEX[sc.traceFlags & 0xff]! };
}

/**
 * Writes the three fields of `sc` onto `record`, unless it already has a `trace_id` of its
 * own (what the app put in a record wins, as a pino call's own fields win over mixins) or
 * cannot take new properties (a frozen record would make the assignment throw).
 */
export function addTraceFields(record: Record<string, unknown>, sc: SpanContext): void {
  if (record[TRACE_ID_FIELD] !== undefined || !Object.isExtensible(record)) return;
  record[TRACE_ID_FIELD] = sc.traceId;
  record[SPAN_ID_FIELD] = sc.spanId;
  record[TRACE_FLAGS_FIELD] = FLAGS_HEX[sc.traceFlags & 0xff]!;
}
