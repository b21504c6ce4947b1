import { type InstrumentationKit, type Instrumentation, type ModuleTarget, isWrapped, type AnyFunction } from '../../src/instrument';
import { wrapConnectionQuery } from './connection-query';
import { wrapGetConnection } from './pool-connection';

type Proto = Record<string, AnyFunction>;

/** What each target file exports (a class) and which of its methods we wrap. */
const METHODS: Record<string, { readonly names: readonly string[]; readonly make: (kit: InstrumentationKit, original: AnyFunction) => AnyFunction }> = {
  'lib/connection.js': { names: ['query', 'execute'], make: wrapConnectionQuery },
  'lib/pool.js': { names: ['getConnection'], make: wrapGetConnection },
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
      if (owner !== undefined) kit.wrap(owner, name, (original) => methods.make(kit, original));
    }
  },
  unpatch(exports: unknown, target: ModuleTarget, kit: InstrumentationKit): void {
    const methods = target.file === undefined ? undefined : METHODS[target.file];
    if (methods === undefined) return;
    for (const name of methods.names) {
      const owner = ownerOf(exports, name);
      if (owner !== undefined && isWrapped(owner[name])) kit.unwrap(owner, name);
    }
  },
};

/** The object of the class's prototype chain that defines `name`. */
function ownerOf(exports: unknown, name: string): Proto | undefined {
  if (typeof exports !== 'function') return undefined;
  let o: unknown = (exports as { prototype?: unknown }).prototype;
  while (o !== null && typeof o === 'object' && o !== Object.prototype) {
    if (Object.prototype.hasOwnProperty.call(o, name)) return o as Proto;
    o = Object.getPrototypeOf(o);
  }
  return undefined;
}
