import { SpanStatusCode, type Span } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE, ERROR_TYPE_OTHER } from './semconv';

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
