import { context } from '../../src/api-globals';
import type { InstrumentationKit, AnyFunction } from '../../src/instrument';

/**
 * Wraps `Pool.prototype.connect` of pg-pool: a waiter's callback is called when another
 * caller releases a client, in that caller's context. Binding it to the context of the
 * `connect` call keeps the queries of `pool.query` (which passes a callback) children of
 * their own caller. The promise form needs nothing: an `await` resumes in its own context.
 */
export function wrapPoolConnect(kit: InstrumentationKit, original: AnyFunction): AnyFunction {
  return function connect(this: unknown, cb?: unknown): unknown {
    if (!kit.active || typeof cb !== 'function') return original.apply(this, arguments as never);
    const args: unknown[] = Array.prototype.slice.call(arguments);
    args[0] = context.bind(context.active(), cb);
    return original.apply(this, args);
  };
}
