import { activeContext, bindContext } from '../sdk/context-manager';
import type { InstrumentationKit } from './kit';
import type { AnyFunction, MakeWrapper } from './wrap';

/**
 * Wrapper of a pool's checkout (`pool.connect(cb)` of pg-pool, `pool.getConnection(cb)` of
 * mysql2): a waiter is called back when another caller releases a connection, in that
 * caller's context. Binding the callback (the first argument) to the context of the
 * checkout call keeps the pool's own queries (`pool.query`) under their own caller. The
 * promise forms need nothing: an `await` resumes in its own context.
 */
export function wrapPoolCheckout(kit: InstrumentationKit): MakeWrapper {
  return (original: AnyFunction) =>
    function checkout(this: unknown, cb?: unknown): unknown {
      if (!kit.active || typeof cb !== 'function') return original.apply(this, arguments as never);
      const args: unknown[] = Array.prototype.slice.call(arguments);
      args[0] = bindContext(activeContext(), cb);
      return original.apply(this, args);
    };
}
