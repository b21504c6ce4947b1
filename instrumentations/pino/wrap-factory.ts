import { type AnyFunction, type InstrumentationKit, type MakeWrapper } from '../../src/instrument';
import { makeTraceMixin, mergeUnlessNoFields, mergeWithAppMixin, type PinoMixin } from './mixin';

/** What the wrapper needs of the pino module: its `symbols` (`mixinSym` since 5.14, `mixinMergeStrategySym` since 7). */
export interface PinoModule extends AnyFunction {
  symbols?: { mixinSym?: unknown; mixinMergeStrategySym?: unknown };
  pino?: unknown;
  default?: unknown;
}

type Logger = Record<symbol, unknown>;

/**
 * Wraps the `pino()` factory: each logger it makes gets the trace mixin, merged with the
 * app's `mixin` option when it set one. Child loggers inherit their parent's mixin (and
 * merge strategy). A logger with neither option, on pino >= 7, also gets a merge strategy
 * that skips the merge outside a span.
 */
export function wrapFactory(kit: InstrumentationKit, mixinSym: symbol, strategySym: symbol | undefined): MakeWrapper<PinoModule> {
  const traceMixin = makeTraceMixin(kit, false);
  const traceMixinWithStrategy = makeTraceMixin(kit, true);
  const install = (logger: Logger): void => {
    const appMixin = logger[mixinSym];
    if (typeof appMixin === 'function') {
      logger[mixinSym] = mergeWithAppMixin(kit, appMixin as PinoMixin);
    } else if (strategySym !== undefined && logger[strategySym] === undefined) {
      logger[mixinSym] = traceMixinWithStrategy;
      logger[strategySym] = mergeUnlessNoFields;
    } else {
      logger[mixinSym] = traceMixin;
    }
  };
  return (original) =>
    function pino(this: unknown): unknown {
      const logger = original.apply(this, arguments as never) as unknown;
      if (kit.active && logger !== null && typeof logger === 'object') kit.safe(install, logger as Logger);
      return logger;
    };
}
