import { trace, ROOT_CONTEXT, type Context } from '@opentelemetry/api';
import { context } from '../../src/api-globals';
import { startSpan, type InstrumentationKit, type SpanSpec, type AnyFunction, type MakeWrapper } from '../../src/instrument';
import { endOnSettle, hasParent, recordRedisError } from './recipe';
import type { NodeRedisClient } from './server';

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

/** The span of one call of a list-taking client method, from the client and the call's arguments. */
export type ListCallRecipe = (client: NodeRedisClient, args: unknown[]) => SpanSpec | undefined;

/**
 * Wrapper of a node-redis client method whose first argument is a list (a command line, a
 * batch's queued commands): one span per call whose list is an array, only under a parent
 * (no orphans); `check` may find an error in a fulfilled result.
 */
export function wrapListCall(kit: InstrumentationKit, recipe: ListCallRecipe, check?: (value: unknown) => unknown): MakeWrapper {
  return (original: AnyFunction) =>
    function listCall(this: NodeRedisClient, ...args: unknown[]): unknown {
      if (!kit.active || !Array.isArray(args[0])) return original.apply(this, args);
      const parent = context.active();
      if (!hasParent(parent)) return original.apply(this, args);
      const spec = kit.safe2(recipe, this, args);
      return traceRedisCall(kit, spec, parent, () => original.apply(this, args), check);
    };
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
