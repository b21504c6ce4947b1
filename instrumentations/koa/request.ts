import { recordFrameworkError, setServerRoute } from '../../src/instrument';
import { routeOf, type RoutedContextLike } from './recipe';

/** The error last recorded for a request: a rejection climbs every middleware above it. */
const LAST_ERROR = Symbol('waymark.koa.lastError');

/** The parts of a Koa context read here (`req`: Node's IncomingMessage). */
export interface KoaContextLike extends RoutedContextLike {
  req?: object;
  [LAST_ERROR]?: unknown;
}

/** Names the server span `METHOD /route/:template` once the router has matched. */
export function nameRoute(ctx: KoaContextLike): void {
  const route = routeOf(ctx);
  if (route !== undefined) setServerRoute(ctx.req, route);
}

/** Records an error thrown in a middleware, once per error object and request (4xx: an event only). */
export function recordKoaError(ctx: KoaContextLike, err: unknown): void {
  if (err == null || ctx[LAST_ERROR] === err) return;
  ctx[LAST_ERROR] = err;
  recordFrameworkError(ctx.req, err);
}
