import {
  context,
  hasValidSpan,
  isTracingSuppressed,
  SpanKind,
  wrapFunction,
  type AnyFunction,
  type InstrumentationKit,
  type MakeWrapper,
} from '../../src/instrument';
import { readRoute, requestContextAttributes, type NestRoute } from './recipe';
import { serverRequestOf, serverRouteOf } from './request';
import { runInSpan } from './span-run';
import { traceHandler } from './wrap-handler';

/**
 * `RouterExecutionContext#create(instance, callback, methodName, ...)`: Nest builds one
 * route's handler (guards, interceptors, pipes, then `callback`) once at start, or per
 * request for a request-scoped controller. The controller's method is handed on wrapped
 * (its own span), and the handler returned is wrapped: each request through it runs in a
 * span `CatsController.findOne` under the server span, and what it throws is recorded.
 */
export function wrapExecutionContextCreate(kit: InstrumentationKit, version: string | undefined): MakeWrapper {
  return (original: AnyFunction) =>
    function create(this: unknown, instance: unknown, callback: unknown): unknown {
      if (!kit.active || typeof callback !== 'function') return original.apply(this, arguments as never);
      let route: NestRoute;
      let handlerCallback: AnyFunction;
      try {
        route = readRoute(instance, callback, version);
        handlerCallback = traceHandler(kit, callback as AnyFunction, route);
      } catch (err) {
        kit.fail(err, 'RouterExecutionContext#create');
        return original.apply(this, arguments as never);
      }
      const args: unknown[] = Array.prototype.slice.call(arguments);
      args[1] = handlerCallback;
      const handler: unknown = original.apply(this, args);
      return typeof handler === 'function' ? (traceRequestContext(kit, handler as AnyFunction, route) ?? handler) : handler;
    };
}

/** The route's handler `(req, res, next)`, each call in a span of the route when inside a trace. */
function traceRequestContext(kit: InstrumentationKit, handler: AnyFunction, route: NestRoute): AnyFunction | undefined {
  return wrapFunction(
    handler,
    (original) =>
      function nestRequestContext(this: unknown, req: unknown): unknown {
        if (!kit.active) return original.apply(this, arguments as never);
        const parent = context.active();
        if (isTracingSuppressed(parent) || !hasValidSpan(parent)) return original.apply(this, arguments as never);
        const serverReq = kit.safe(serverRequestOf, req);
        const span = kit.startSpan(route.spanName, SpanKind.INTERNAL, requestContextAttributes(route, serverRouteOf(serverReq)), parent);
        return runInSpan(kit, span, parent, original, this, arguments, serverReq);
      },
    'nestjs route handler',
  );
}
