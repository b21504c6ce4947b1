import type { InstrumentationKit, Instrumentation, ModuleTarget, AnyFunction } from '../../src/instrument';
import { wrapClientConnect } from './client-connect';
import { wrapClientQuery } from './client-query';
import { wrapPoolConnect } from './pool-connect';

/**
 * pg 8.x: `Client.prototype.query` and `connect` (lib/client.js, loaded by `require('pg')`
 * and by the ESM entry alike) make the spans; pg-pool's `connect` keeps waiters in their
 * caller's context. The native client (`pg.native`) is not patched.
 */
export const instrumentation: Instrumentation = {
  patch(exports: unknown, target: ModuleTarget, kit: InstrumentationKit): void {
    const proto = prototypeOf(exports);
    if (proto === undefined) return;
    if (target.module === 'pg-pool') {
      kit.wrap(proto, 'connect', (original) => wrapPoolConnect(kit, original));
      return;
    }
    kit.wrap(proto, 'query', (original) => wrapClientQuery(kit, original));
    kit.wrap(proto, 'connect', (original) => wrapClientConnect(kit, original));
  },
  unpatch(exports: unknown, target: ModuleTarget, kit: InstrumentationKit): void {
    const proto = prototypeOf(exports);
    if (proto === undefined) return;
    kit.unwrap(proto, 'connect');
    if (target.module !== 'pg-pool') kit.unwrap(proto, 'query');
  },
};

/** Both targets export a class (pg's Client, pg-pool's Pool). */
function prototypeOf(exports: unknown): Record<string, AnyFunction> | undefined {
  if (typeof exports !== 'function') return undefined;
  const proto = (exports as { prototype?: unknown }).prototype;
  return proto !== null && typeof proto === 'object' ? (proto as Record<string, AnyFunction>) : undefined;
}
