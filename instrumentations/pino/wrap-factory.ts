import { type AnyFunction, type InstrumentationKit, type MakeWrapper } from '../../src/instrument';
import { makeTraceMixin, mergeWithAppMixin, type PinoMixin } from './mixin';

/** What the wrapper needs of the pino module: its `symbols.mixinSym` (pino >= 5.14). */
export interface PinoModule extends AnyFunction {
  symbols?: { mixinSym?: unknown };
  pino?: unknown;
  default?: unknown;
}

type Logger = Record<symbol, unknown>;

/**
 * Wraps the `pino()` factory: each logger it makes gets the trace mixin, merged with the
 * app's `mixin` option when it set one. Child loggers inherit their parent's mixin.
 */
export function wrapFactory(kit: InstrumentationKit, mixinSym: symbol): MakeWrapper<PinoModule> {
  const traceMixin = makeTraceMixin(kit);
  const install = (logger: Logger): void => {
    const appMixin = logger[mixinSym];
    logger[mixinSym] = typeof appMixin === 'function' ? mergeWithAppMixin(kit, appMixin as PinoMixin) : traceMixin;
  };
  return (original) =>
    function pino(this: unknown): unknown {
      const logger = original.apply(this, arguments as never) as unknown;
      if (kit.active && logger !== null && typeof logger === 'object') kit.safe(install, logger as Logger);
      return logger;
    };
}
