import { format } from 'node:util';
import { traceFlagsHex, type SpanContext } from '../../src/instrument';

/**
 * ` trace_id=<32 hex> span_id=<16 hex> trace_flags=01`: the plain-text form of OpenTelemetry's
 * trace context in non-OTLP logs (key=value, as logfmt parsers read it), appended at the
 * end of the line so that what the app prints, and any parser of it, keeps its start.
 */
export function traceSuffix(sc: SpanContext): string {
  return `trace_id=${sc.traceId} span_id=${sc.spanId} trace_flags=${traceFlagsHex(sc.traceFlags)}`;
}

/**
 * The arguments of a console call with the suffix at the end of the printed line. The
 * suffix goes as one more argument (console joins arguments with a space and prints
 * strings as they are), except after a format string (a first argument with `%`): an
 * unmatched `%s` would take the suffix, so that line is formatted here first and printed
 * through `%s` (objects in it then lose the terminal's colours, nothing else).
 */
export function withTraceSuffix(args: ArrayLike<unknown>, sc: SpanContext): unknown[] {
  const suffix = traceSuffix(sc);
  const first = args[0];
  if (typeof first === 'string' && first.includes('%')) {
    return ['%s %s', format(...(Array.prototype.slice.call(args) as [unknown, ...unknown[]])), suffix];
  }
  const out = Array.prototype.slice.call(args) as unknown[];
  out.push(suffix);
  return out;
}
