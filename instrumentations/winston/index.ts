import type { AnyFunction, Instrumentation, InstrumentationKit } from '../../src/instrument';
import { wrapWrite } from './wrap-write';

/** `winston/lib/winston/logger.js` exports the Logger class that every winston 3 logger extends. */
interface LoggerModule {
  prototype: { write: AnyFunction };
}

export const instrumentation: Instrumentation = {
  patch(exports: unknown, _target, kit: InstrumentationKit): void {
    if (typeof exports !== 'function' || !kit.wrap((exports as LoggerModule).prototype, 'write', wrapWrite(kit))) {
      throw new Error('winston Logger#write not found');
    }
  },
  unpatch(exports: unknown, _target, kit: InstrumentationKit): void {
    if (typeof exports === 'function') kit.unwrap((exports as LoggerModule).prototype, 'write');
  },
};
