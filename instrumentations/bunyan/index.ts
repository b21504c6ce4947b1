import type { AnyFunction, Instrumentation, InstrumentationKit } from '../../src/instrument';
import { wrapEmit } from './wrap-emit';

/** bunyan's module is its Logger constructor. */
interface BunyanModule {
  prototype: { _emit: AnyFunction };
}

export const instrumentation: Instrumentation = {
  patch(exports: unknown, _target, kit: InstrumentationKit): void {
    if (typeof exports !== 'function' || !kit.wrap((exports as BunyanModule).prototype, '_emit', wrapEmit(kit))) {
      throw new Error('bunyan Logger#_emit not found');
    }
  },
  unpatch(exports: unknown, _target, kit: InstrumentationKit): void {
    if (typeof exports === 'function') kit.unwrap((exports as BunyanModule).prototype, '_emit');
  },
};
