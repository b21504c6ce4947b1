import { ATTR_HTTP_ROUTE, context, startCall, traceCall, type AnyFunction, type InstrumentationKit, type Span } from '../../src/instrument';
import { isRouterDispatch, middlewareSpanSpec, routeOf } from './recipe';
import type { KoaContextLike } from './request';
import { ATTR_KOA_NAME } from './semconv';

/**
 * Runs one middleware in its own INTERNAL span (opt-in: WAYMARK_KOA_MIDDLEWARE_SPANS). The
 * span covers the middleware and what runs downstream of its `next()`, as Koa's onion does,
 * and records what it throws. A router's span is named by the route it matched, which the
 * router decides synchronously when it is called.
 */
export function traceMiddleware(kit: InstrumentationKit, ctx: KoaContextLike, original: AnyFunction, self: unknown, args: IArguments): unknown {
  const spec = kit.safe(middlewareSpanSpec, original as { name?: unknown; router?: unknown });
  if (spec === undefined) return original.apply(self, args as never);
  const call = startCall(kit, spec, context.active());
  if (!isRouterDispatch(original as { router?: unknown })) return traceCall(call, original, self, args as never);
  const before = matchedCount(ctx);
  const result = traceCall(call, original, self, args as never);
  if (matchedCount(ctx) > before) kit.safe2(nameRouterSpan, call.span, ctx);
  return result;
}

function nameRouterSpan(span: Span, ctx: KoaContextLike): void {
  const route = routeOf(ctx);
  if (route === undefined) return;
  span.updateName(`router - ${route}`);
  span.setAttribute(ATTR_KOA_NAME, route);
  span.setAttribute(ATTR_HTTP_ROUTE, route);
}

/** How many router layers have matched the request so far (routers append to `ctx.matched`). */
function matchedCount(ctx: KoaContextLike): number {
  const matched = ctx.matched;
  return Array.isArray(matched) ? matched.length : 0;
}
