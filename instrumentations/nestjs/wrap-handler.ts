import { context, hasValidSpan, isTracingSuppressed, SpanKind, wrapFunction, type AnyFunction, type InstrumentationKit } from '../../src/instrument';
import { canCopyMetadata, copyMetadata } from './metadata';
import { handlerAttributes, handlerSpanName, type NestRoute } from './recipe';
import { runInSpan } from './span-run';

/**
 * One wrapper per controller method and route name: a request-scoped controller gets its
 * handler made anew per request, from the same method.
 */
const HANDLERS = new WeakMap<AnyFunction, { readonly spanName: string; readonly wrapped: AnyFunction }>();

/**
 * The controller's method as Nest will call it (`callback.apply(instance, args)`, once the
 * guards, interceptors and pipes have run): inside a request's trace, in a span of its own
 * (`findOne`, ended when its promise settles; an Observable or a value ends it at return).
 * Returns `callback` itself when the metadata Nest reads from it cannot be carried over.
 */
export function traceHandler(kit: InstrumentationKit, callback: AnyFunction, route: NestRoute): AnyFunction {
  const cached = HANDLERS.get(callback);
  if (cached !== undefined && cached.spanName === route.spanName) return cached.wrapped;
  if (!canCopyMetadata()) return callback;
  const wrapped = wrapFunction(
    callback,
    (original) =>
      function nestHandler(this: unknown): unknown {
        if (!kit.active) return original.apply(this, arguments as never);
        const parent = context.active();
        if (isTracingSuppressed(parent) || !hasValidSpan(parent)) return original.apply(this, arguments as never);
        const span = kit.startSpan(handlerSpanName(route), SpanKind.INTERNAL, handlerAttributes(route), parent);
        return runInSpan(kit, span, parent, original, this, arguments, undefined);
      },
    'nestjs handler',
  );
  if (wrapped === undefined) return callback;
  copyMetadata(callback, wrapped);
  HANDLERS.set(callback, { spanName: route.spanName, wrapped });
  return wrapped;
}
