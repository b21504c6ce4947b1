import { traceFieldsOf, type InstrumentationKit } from '../../src/instrument';

/** pino's `mixin` option: called per record, returns fields merged into it. */
export type PinoMixin = (this: unknown, ...args: unknown[]) => unknown;

/** pino's `mixinMergeStrategy` option (pino >= 7): builds the record from the call's object and the mixin's. */
export type PinoMergeStrategy = (mergeObject: object, mixinObject: object) => object;

/** What `makeTraceMixin(kit, true)` returns outside a span: never written to, never merged. */
export const NO_FIELDS: object = Object.freeze({});

/**
 * The mixin a logger gets when the app set none. Outside a span it returns a fresh empty
 * object (pino merges into what a mixin returns, so it cannot be shared), or, with
 * `withStrategy`, NO_FIELDS for `mergeUnlessNoFields` to skip.
 */
export function makeTraceMixin(kit: InstrumentationKit, withStrategy: boolean): PinoMixin {
  return function traceMixin(): object {
    const sc = kit.activeSpanContext();
    if (sc === undefined) return withStrategy ? NO_FIELDS : {};
    return traceFieldsOf(sc);
  };
}

/**
 * pino's default merge (the call's fields over the mixin's), except that NO_FIELDS leaves the
 * call's object as pino takes it without a mixin: a record outside a span costs no copy.
 */
export function mergeUnlessNoFields(mergeObject: object, mixinObject: object): object {
  return mixinObject === NO_FIELDS ? mergeObject : Object.assign(mixinObject, mergeObject);
}

/**
 * The app's own mixin, called as before (same `this` and arguments), with the trace fields
 * under what it returns: its keys win. Outside a span its result is returned as it is, and
 * so is a result that is not an object (pino then fails as it would have).
 */
export function mergeWithAppMixin(kit: InstrumentationKit, appMixin: PinoMixin): PinoMixin {
  return function mixin(this: unknown): unknown {
    const own = appMixin.apply(this, arguments as never);
    const sc = kit.activeSpanContext();
    if (sc === undefined || own === null || typeof own !== 'object') return own;
    return Object.assign(traceFieldsOf(sc), own);
  };
}
