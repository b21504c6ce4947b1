import { isSpanContextValid, type SpanContext, type TraceState } from '@opentelemetry/api';
import { RANDOM_TRACE_FLAG, TraceId } from './ids';
import { SpanIdentity } from './span-identity';

/**
 * A span context our propagator read from a header: valid by construction (the parser
 * checked every character), with the trace id also kept as words. A child span then
 * continues the trace from the words, with no regex check and no hex parsing.
 *
 * The fields stay plain, writable data, as the API's SpanContext is. Whoever changes an
 * id or the random flag afterwards gets the generic path: `parsedTrace()` answers only
 * while both ids are the very strings the parser produced and the flag is as parsed.
 */
export class RemoteSpanContext implements SpanContext {
  traceId: string;
  spanId: string;
  traceFlags: number;
  isRemote: boolean;
  declare traceState?: TraceState;
  readonly #trace: TraceId;
  readonly #spanId: string;

  constructor(trace: TraceId, spanId: string, traceFlags: number) {
    this.traceId = trace.hex;
    this.spanId = spanId;
    this.traceFlags = traceFlags;
    this.isRemote = true;
    this.#trace = trace;
    this.#spanId = spanId;
  }

  /** The parsed trace id, or undefined when an id field or the random flag was changed since parsing. */
  parsedTrace(): TraceId | undefined {
    const trace = this.#trace;
    const same =
      this.traceId === trace.hex && this.spanId === this.#spanId && (this.traceFlags & RANDOM_TRACE_FLAG) === trace.randomFlag;
    return same ? trace : undefined;
  }
}

/**
 * `isSpanContextValid` without its two regex tests for the span contexts that are valid
 * by construction: ours, and unchanged parsed ones.
 */
export function isValidSpanContext(sc: SpanContext): boolean {
  if (sc instanceof RemoteSpanContext && sc.parsedTrace() !== undefined) return true;
  return isSpanContextValid(sc);
}

/** The span context of `span` when it is valid, else undefined; ours skip the checks. */
export function validSpanContextOf(span: { spanContext(): SpanContext }): SpanContext | undefined {
  const sc = span.spanContext();
  if (span instanceof SpanIdentity) return sc;
  return isValidSpanContext(sc) ? sc : undefined;
}
