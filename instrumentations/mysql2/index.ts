import { ownerOf, wrapPoolCheckout, type Instrumentation, type InstrumentationKit, type MakeWrapper, type ModuleTarget } from '../../src/instrument';
import { wrapConnectionQuery } from './wrap-query';

/** What each target file exports (a class) and which of its methods we wrap, how. */
const METHODS: Record<string, { readonly names: readonly string[]; readonly make: (kit: InstrumentationKit) => MakeWrapper }> = {
  'lib/connection.js': { names: ['query', 'execute'], make: wrapConnectionQuery },
  'lib/pool.js': { names: ['getConnection'], make: wrapPoolCheckout },
};

/**
 * mysql2 3.x. The methods live on a base class in recent versions (lib/base/) and on the
 * exported class itself in older ones: each is wrapped where it is defined, so every
 * subclass (PoolConnection, the promise wrappers' core connections) shares one wrapper.
 */
export const instrumentation: Instrumentation = {
  patch(exports: unknown, target: ModuleTarget, kit: InstrumentationKit): void {
    const methods = target.file === undefined ? undefined : METHODS[target.file];
    if (methods === undefined) return;
    for (const name of methods.names) {
      const owner = ownerOf(exports, name);
      if (owner !== undefined) kit.wrap(owner, name, methods.make(kit));
    }
  },
  unpatch(exports: unknown, target: ModuleTarget, kit: InstrumentationKit): void {
    const methods = target.file === undefined ? undefined : METHODS[target.file];
    if (methods === undefined) return;
    for (const name of methods.names) {
      const owner = ownerOf(exports, name);
      if (owner !== undefined) kit.unwrap(owner, name);
    }
  },
};
