import { ownerOf, wrapPoolCheckout, type Instrumentation, type InstrumentationKit, type ModuleTarget } from '../../src/instrument';
import { wrapClientConnect } from './wrap-connect';
import { wrapClientQuery } from './wrap-query';

/**
 * pg 8.x: `Client.prototype.query` and `connect` (lib/client.js, loaded by `require('pg')`
 * and by the ESM entry alike) make the spans; pg-pool's `connect` keeps waiters in their
 * caller's context. The native client (`pg.native`) is not patched. Both targets export a
 * class (pg's Client, pg-pool's Pool).
 */
export const instrumentation: Instrumentation = {
  patch(exports: unknown, target: ModuleTarget, kit: InstrumentationKit): void {
    const connect = ownerOf(exports, 'connect');
    if (target.module === 'pg-pool') {
      if (connect !== undefined) kit.wrap(connect, 'connect', wrapPoolCheckout(kit));
      return;
    }
    const query = ownerOf(exports, 'query');
    if (query !== undefined) kit.wrap(query, 'query', wrapClientQuery(kit));
    if (connect !== undefined) kit.wrap(connect, 'connect', wrapClientConnect(kit));
  },
  unpatch(exports: unknown, target: ModuleTarget, kit: InstrumentationKit): void {
    const connect = ownerOf(exports, 'connect');
    if (connect !== undefined) kit.unwrap(connect, 'connect');
    const query = target.module === 'pg-pool' ? undefined : ownerOf(exports, 'query');
    if (query !== undefined) kit.unwrap(query, 'query');
  },
};
