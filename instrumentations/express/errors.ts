import type { Exception } from '@opentelemetry/api';
import { getServerSpan, recordServerError } from '../../src/instrument';
import { isClientError } from '../../src/instrument/client-error';
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
    // A 4xx error (http-errors' NotFound, a validation error): the event only.
    getServerSpan(state.req)?.recordException(err as Exception);
    return;
  }
  recordServerError(state.req, err);
}
