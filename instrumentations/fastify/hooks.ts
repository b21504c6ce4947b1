import { getServerSpanHolder, recordFrameworkError, setServerRoute, type InstrumentationKit } from '../../src/instrument';
import { routeTemplate, type FastifyRequestLike } from './route';

type Done = (err?: Error) => void;

/**
 * Fastify 5: the app-level `onRequest` hook. Routing is done by then, so the route is
 * known; it runs for every request (the 404 handler included, which has no route and
 * keeps `GET`) and before the app's own hooks, so a request an app hook rejects is named
 * too. Callback style, sync: Fastify runs the next hook in the same tick and context.
 */
export function makeOnRequest(kit: InstrumentationKit) {
  return function waymarkOnRequest(request: FastifyRequestLike, _reply: unknown, done: Done): void {
    if (kit.active) kit.safe(setRouteOf, request);
    done();
  };
}

/** Marks our route-level hooks, so a route whose options are reused (HEAD) gets one. */
const ROUTE_HOOK = Symbol('waymark.fastify.routeHook');

/** What an `onRoute` hook may read and change of a route being added. */
export interface RouteOptionsLike {
  url?: unknown;
  onRequest?: unknown;
}

/**
 * Fastify 4: `request.routeOptions` builds and freezes an object per read (~1.7 µs), and
 * the cheap accessors print deprecation warnings. So the template is taken once, when the
 * route is added, and a route-level `onRequest` hook carries it. Route-level hooks run
 * after the app's own `onRequest` hooks: a request an app-level hook answers keeps `GET`.
 */
export function makeOnRoute(kit: InstrumentationKit) {
  return function waymarkOnRoute(routeOptions: RouteOptionsLike): void {
    if (kit.active) kit.safe2(addRouteHook, kit, routeOptions);
  };
}

function addRouteHook(kit: InstrumentationKit, routeOptions: RouteOptionsLike): void {
  const url = routeOptions.url;
  if (typeof url !== 'string' || url.length === 0) return;
  const existing = routeOptions.onRequest;
  if (Array.isArray(existing) && existing.some((h) => (h as { [ROUTE_HOOK]?: true })?.[ROUTE_HOOK] === true)) return;
  const hook = function waymarkRoute(request: FastifyRequestLike, _reply: unknown, done: Done): void {
    if (kit.active) kit.safe2(setRoute, request, url);
    done();
  };
  Object.defineProperty(hook, ROUTE_HOOK, { value: true });
  routeOptions.onRequest = existing == null ? [hook] : [hook].concat(existing as never);
}

function setRoute(request: FastifyRequestLike, route: string): void {
  const raw = request.raw;
  if (raw !== undefined) setServerRoute(raw, route);
}

/**
 * The app-level `onError` hook: Fastify runs it for an error sent to the reply (thrown
 * or rejected in a hook or handler, or `reply.send(err)`), before any custom error
 * handler, so errors that handler turns into a normal reply are still recorded.
 */
export function makeOnError(kit: InstrumentationKit) {
  return function waymarkOnError(request: FastifyRequestLike, _reply: unknown, error: unknown, done: Done): void {
    if (kit.active) kit.safe2(recordRequestError, request, error);
    done();
  };
}

function setRouteOf(request: FastifyRequestLike): void {
  const raw = request.raw;
  // Untraced request (no http server span): skip the routeOptions getter altogether.
  if (raw === undefined || getServerSpanHolder(raw) === undefined) return;
  const route = routeTemplate(request);
  if (route !== undefined) setServerRoute(raw, route);
}

/** Records `error` on the server span of `request`; a 4xx error only as an event. */
export function recordRequestError(request: FastifyRequestLike, error: unknown): void {
  recordFrameworkError(request.raw, error);
}

