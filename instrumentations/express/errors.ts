import type { Exception } from '@opentelemetry/api';
import { getServerSpan, recordServerError } from '../../src/instrument';
import type { RequestState } from './state';

/**
 * Records an error that reached Express's error path (`next(err)`, a throw, a rejected
 * promise in Express 5) on the request's server span, once per error object: the same
 * error is handed to every later layer, so it would otherwise be recorded many times.
 */
export function recordRequestError(state: RequestState, err: unknown): void {
  // `next('route')` / `next('router')` are routing signals, and falsy values mean "no error".
  if (!err || err === 'route' || err === 'router' || state.lastError === err) return;
  state.lastError = err;
  if (isClientError(err)) {
    // A 4xx error (http-errors' NotFound, a validation error) is the client's fault:
    // semconv leaves a server span's status unset for 4xx, so keep only the event.
    // https://opentelemetry.io/docs/specs/semconv/http/http-spans/#status
    getServerSpan(state.req)?.recordException(err as Exception);
    return;
  }
  recordServerError(state.req, err);
}

/** True when the error carries a 4xx status, as Express's final handler reads it. */
export function isClientError(err: unknown): boolean {
  if (err === null || typeof err !== 'object') return false;
  const e = err as { status?: unknown; statusCode?: unknown };
  const status = typeof e.status === 'number' ? e.status : e.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500;
}
