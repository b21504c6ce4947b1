import { wrapFunction, type Instrumentation, type InstrumentationKit } from '../../src/instrument';
import { wrapFactory, type PinoModule } from './wrap-factory';

/**
 * pino's module is its factory function; the replacement is returned to the hooks, which
 * hand it to `require` and to ESM imports (`default` and the named `pino`).
 */
export const instrumentation: Instrumentation = {
  patch(exports: PinoModule, _target, kit: InstrumentationKit): unknown {
    const mixinSym = exports.symbols?.mixinSym;
    if (typeof mixinSym !== 'symbol') throw new Error('pino.symbols.mixinSym not found');
    const strategySym = exports.symbols?.mixinMergeStrategySym;
    const patched = wrapFunction(exports, wrapFactory(kit, mixinSym, typeof strategySym === 'symbol' ? strategySym : undefined), 'pino');
    if (patched === undefined) return undefined;
    // pino also exports itself as `pino` (>= 6.8) and `default` (>= 6.9).
    if (typeof exports.pino === 'function') patched.pino = patched;
    if (typeof exports.default === 'function') patched.default = patched;
    return patched;
  },
};
