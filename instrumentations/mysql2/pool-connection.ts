import { context } from '../../src/api-globals';
import type { InstrumentationKit, AnyFunction } from '../../src/instrument';

/**
 * Wraps the pool's `getConnection(cb)`: a waiter is called back when another caller
 * releases a connection, in that caller's context. Binding the callback to the context of
 * the `getConnection` call keeps `pool.query`/`pool.execute`, pool clusters (which go
 * through their pools) and the promise pool under their own caller.
 */
export function wrapGetConnection(kit: InstrumentationKit, original: AnyFunction): AnyFunction {
  return function getConnection(this: unknown, cb?: unknown): unknown {
    if (!kit.active || typeof cb !== 'function') return original.apply(this, arguments as never);
    const args: unknown[] = Array.prototype.slice.call(arguments);
    args[0] = context.bind(context.active(), cb);
    return original.apply(this, args);
  };
}
