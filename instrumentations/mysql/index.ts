import { ownerOf, wrapPoolCheckout, type Instrumentation, type InstrumentationKit, type MakeWrapper, type ModuleTarget } from '../../src/instrument';
import { wrapConnectionQuery } from './wrap-query';

/** What each target file exports (a class) and which of its methods we wrap, how. */
const METHODS: Record<string, { readonly name: string; readonly make: (kit: InstrumentationKit) => MakeWrapper }> = {
  // PoolConnection inherits it: pooled and direct connections share one wrapper.
  'lib/Connection.js': { name: 'query', make: wrapConnectionQuery },
  // Every checkout goes through it: `pool.query`, `pool.getConnection`, and the pools of a
  // PoolCluster. A waiter is called back when another caller releases a connection, so the
  // callback is bound to its own caller's context.
  'lib/Pool.js': { name: 'getConnection', make: wrapPoolCheckout },
};

/** mysql (mysqljs) 2.x: `Connection#query` traced, `Pool#getConnection` kept in its caller's context. */
export const instrumentation: Instrumentation = {
  patch(exports: unknown, target: ModuleTarget, kit: InstrumentationKit): void {
    const method = target.file === undefined ? undefined : METHODS[target.file];
    const owner = method === undefined ? undefined : ownerOf(exports, method.name);
    if (owner !== undefined) kit.wrap(owner, method!.name, method!.make(kit));
  },
  unpatch(exports: unknown, target: ModuleTarget, kit: InstrumentationKit): void {
    const method = target.file === undefined ? undefined : METHODS[target.file];
    const owner = method === undefined ? undefined : ownerOf(exports, method.name);
    if (owner !== undefined) kit.unwrap(owner, method!.name);
  },
};
