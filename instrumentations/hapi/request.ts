import { isClientError, recordFrameworkError, setServerRoute } from '../../src/instrument';
import { routeOf, type HapiRouteLike } from './recipe';

/** The error last recorded for a request: Hapi may set the same Boom more than once. */
const LAST_ERROR = Symbol('waymark.hapi.lastError');

/** The parts of a Hapi Request read here (`raw.req`: Node's IncomingMessage). */
export interface HapiRequestLike {
  raw?: { req?: object };
  route?: HapiRouteLike;
  [LAST_ERROR]?: unknown;
}

/** Names the server span `METHOD /items/{id}` once Hapi has routed the request. */
export function nameRoute(request: HapiRequestLike): void {
  const route = routeOf(request.route);
  if (route !== undefined) setServerRoute(request.raw?.req, route);
}

/**
 * Records a Boom response on the server span: 5xx (a thrown error is a 500 Boom of the same
 * object) sets ERROR, 4xx is an exception event only. A 4xx of no route of the app's
 * (Hapi's 404 for an unrouted path) is no exception of the app's: not recorded.
 */
export function recordHapiError(request: HapiRequestLike, boom: object): void {
  if (request[LAST_ERROR] === boom) return;
  if (routeOf(request.route) === undefined && isClientError(boom)) return;
  request[LAST_ERROR] = boom;
  recordFrameworkError(request.raw?.req, boom);
}
