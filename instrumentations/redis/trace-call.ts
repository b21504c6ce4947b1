import { context, trace, ROOT_CONTEXT, type Context } from '@opentelemetry/api';
import { startSpan, type InstrumentationKit, type SpanSpec, type AnyFunction, type MakeWrapper } from '../../src/instrument';
import { endOnSettle, recordRedisError } from './recipe';

/**
 * Runs `call` inside the span of `spec` (child of `parent`) and ends the span when the
 * returned promise settles; `check` may find an error in a fulfilled batch result. With no
 * spec (the recipe failed), just calls. Returns exactly what `call` returns.
 */
export function traceRedisCall<R>(
  kit: InstrumentationKit,
  spec: SpanSpec | undefined,
  parent: Context,
  call: () => R,
  check?: (value: unknown) => unknown,
): R {
  if (spec === undefined) return call();
  const span = startSpan(kit, spec, parent);
  let result: R;
  try {
    result = context.with(trace.setSpan(parent, span), call);
  } catch (err) {
    recordRedisError(span, err);
    span.end();
    throw err;
  }
  endOnSettle(span, result, check);
  return result;
}

/**
 * Wrapper for a client's `connect`: the connection's whole life (socket events, handshake,
 * ready checks, reconnect timers, keep-alive pings) runs detached from the caller's trace, so
 * a client created inside a request never hangs its connection traffic on that request, and
 * the require-a-parent rule leaves it untraced. A callback argument keeps the caller's context.
 */
export function detachedConnect(kit: InstrumentationKit): MakeWrapper {
  return (original: AnyFunction) =>
    function connect(this: unknown, ...args: unknown[]): unknown {
      if (!kit.active) return original.apply(this, args);
      const caller = context.active();
      for (let i = 0; i < args.length; i++) {
        const arg = args[i];
        if (typeof arg === 'function') args[i] = context.bind(caller, arg as AnyFunction);
      }
      return context.with(ROOT_CONTEXT, () => original.apply(this, args));
    };
}
