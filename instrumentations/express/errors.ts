import { recordFrameworkError } from '../../src/instrument';
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
  recordFrameworkError(state.req, err);
}
