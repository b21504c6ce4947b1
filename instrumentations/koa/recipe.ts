import { SpanKind, type SpanSpec } from '../../src/instrument';
import { ATTR_KOA_NAME, ATTR_KOA_TYPE, KOA_TYPE_MIDDLEWARE, KOA_TYPE_ROUTER } from './semconv';

/** The parts of a Koa context the route recipe reads. */
export interface RoutedContextLike {
  /** Path of the router layer that ran last (@koa/router, koa-router: every major since 7). */
  _matchedRoute?: unknown;
  /** Every router layer whose path matched, across routers, in order. */
  matched?: unknown;
  method?: unknown;
}

interface RouterLayerLike {
  path?: unknown;
  methods?: unknown;
}

/**
 * The route template of a Koa request: the path of the route layer that ran last, with the
 * router's prefix and nested routers' mount paths already composed by the router. A router's
 * own `use()` layers also write `_matchedRoute` (with patterns such as `([^/]*)`): when one of
 * them answered, the last route layer matched for the method names the span instead. A RegExp
 * path is named by its literal. Never request data: the template, not the path.
 */
export function routeOf(ctx: RoutedContextLike): string | undefined {
  const ran = ctx._matchedRoute;
  // Unset: no router matched both path and method (a 404, or a 405 from allowedMethods).
  if (ran === undefined) return undefined;
  const layers = ctx.matched;
  if (!Array.isArray(layers)) return template(ran);
  let last: unknown;
  for (const layer of layers as RouterLayerLike[]) {
    if (!isRouteFor(layer, ctx.method)) continue;
    if (layer.path === ran) return template(ran);
    last = layer.path;
  }
  return template(last);
}

function isRouteFor(layer: RouterLayerLike | null | undefined, method: unknown): boolean {
  const methods = layer == null ? undefined : layer.methods;
  return Array.isArray(methods) && methods.length > 0 && methods.includes(method);
}

function template(path: unknown): string | undefined {
  if (typeof path === 'string') return path.length > 0 ? path : undefined;
  if (path instanceof RegExp) return String(path);
  return undefined;
}

/** A router's dispatch middleware (`router.routes()`) carries its router. */
export function isRouterDispatch(fn: { router?: unknown }): boolean {
  return fn.router != null;
}

/**
 * The opt-in span of one app middleware: `middleware - <function name>`, or for a router's
 * dispatch `router` until the route it matched is known (`routerSpanName`).
 */
export function middlewareSpanSpec(fn: { name?: unknown; router?: unknown }): SpanSpec {
  if (isRouterDispatch(fn)) return { name: KOA_TYPE_ROUTER, kind: SpanKind.INTERNAL, attributes: { [ATTR_KOA_TYPE]: KOA_TYPE_ROUTER } };
  const name = typeof fn.name === 'string' && fn.name.length > 0 ? fn.name : '<anonymous>';
  return {
    name: `middleware - ${name}`,
    kind: SpanKind.INTERNAL,
    attributes: { [ATTR_KOA_TYPE]: KOA_TYPE_MIDDLEWARE, [ATTR_KOA_NAME]: name },
  };
}
