import { trace, SpanKind, SpanStatusCode, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { context } from '../api-globals';
import { ATTR_ERROR_TYPE, ERROR_TYPE_OTHER } from './semconv';
import type { InstrumentationKit } from './kit';

/** What a recipe produces at the start of an operation. */
export interface SpanSpec<R = unknown> {
  readonly name: string;
  readonly kind?: SpanKind;
  /** Handed over to the span, which keeps this object: build a fresh one per span. */
  readonly attributes?: Attributes;
  /** Sets result attributes / status from the operation's result (errors are handled). */
  readonly onEnd?: (span: Span, result: R) => void;
}

/** Starts a span for `spec` as a child of `parent` (default: the active context). */
export function startSpan(kit: InstrumentationKit, spec: SpanSpec<never>, parent: Context = context.active()): Span {
  return kit.startSpan(spec.name, spec.kind ?? SpanKind.INTERNAL, spec.attributes, parent);
}

/**
 * Runs `fn` inside a span: the span is active during `fn`; a synchronous throw or a
 * rejection is recorded and rethrown/left untouched (same error object); a returned
 * promise is observed on the side and returned as is. Returns what `fn` returns.
 */
export function runSpan<R>(
  kit: InstrumentationKit,
  spec: SpanSpec<Awaited<R>>,
  fn: (span: Span) => R,
  parent: Context = context.active(),
): R {
  const span = kit.startSpan(spec.name, spec.kind ?? SpanKind.INTERNAL, spec.attributes, parent);
  let result: R;
  try {
    result = context.with(trace.setSpan(parent, span), fn, undefined, span);
  } catch (err) {
    endWithError(span, err);
    throw err;
  }
  if (isThenable(result)) {
    result.then(
      (value) => endWithResult(kit, span, spec, value as Awaited<R>),
      (err: unknown) => endWithError(span, err),
    );
    return result;
  }
  endWithResult(kit, span, spec, result as Awaited<R>);
  return result;
}

/** Records `err` on `span`: exception event, status ERROR, `error.type`. Never throws. */
export function recordError(span: Span, err: unknown): void {
  try {
    if (err instanceof Error || typeof err === 'string') span.recordException(err);
    else span.recordException(String(err));
    span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(err) });
    span.setAttribute(ATTR_ERROR_TYPE, errorType(err));
  } catch {
    // A broken span implementation must not break the host.
  }
}

/** Low-cardinality `error.type` for an error: its string code, else its class name. */
export function errorType(err: unknown): string {
  if (err !== null && typeof err === 'object') {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && code.length > 0) return code;
    const name = (err as { name?: unknown }).name;
    if (typeof name === 'string' && name.length > 0 && name !== 'Error') return name;
    const ctor = (err as { constructor?: { name?: unknown } }).constructor?.name;
    if (typeof ctor === 'string' && ctor.length > 0) return ctor;
  }
  return ERROR_TYPE_OTHER;
}

function errorMessage(err: unknown): string | undefined {
  if (err instanceof Error) return err.message;
  return typeof err === 'string' ? err : undefined;
}

function endWithError(span: Span, err: unknown): void {
  recordError(span, err);
  span.end();
}

function endWithResult<R>(kit: InstrumentationKit, span: Span, spec: SpanSpec<R>, value: R): void {
  if (spec.onEnd !== undefined) {
    try {
      spec.onEnd(span, value);
    } catch (err) {
      kit.fail(err, 'onEnd');
    }
  }
  span.end();
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as { then?: unknown }).then === 'function';
}
