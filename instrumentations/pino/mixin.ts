import { activeSpanContext, traceFieldsOf, type InstrumentationKit } from '../../src/instrument';

/** pino's `mixin` option: called per record, returns fields merged into it. */
export type PinoMixin = (this: unknown, ...args: unknown[]) => unknown;

/**
 * The mixin a logger gets when the app set none. Outside a span it returns a fresh empty
 * object (pino merges into what a mixin returns, so it cannot be shared), and the record
 * is written as without the agent.
 */
export function makeTraceMixin(kit: InstrumentationKit): PinoMixin {
  return function traceMixin(): object {
    const sc = kit.active ? activeSpanContext() : undefined;
    return sc === undefined ? {} : traceFieldsOf(sc);
  };
}

/**
 * The app's own mixin, called as before (same `this` and arguments), with the trace fields
 * under what it returns: its keys win. Outside a span its result is returned as it is, and
 * so is a result that is not an object (pino then fails as it would have).
 */
export function mergeWithAppMixin(kit: InstrumentationKit, appMixin: PinoMixin): PinoMixin {
  return function mixin(this: unknown): unknown {
    const own = appMixin.apply(this, arguments as never);
    const sc = kit.active ? activeSpanContext() : undefined;
    if (sc === undefined || own === null || typeof own !== 'object') return own;
    return Object.assign(traceFieldsOf(sc), own);
  };
}
