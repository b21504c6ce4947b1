import { addTraceFields, type AnyFunction, type InstrumentationKit, type MakeWrapper } from '../../src/instrument';

/**
 * `Logger#_emit(rec, noemit)`: bunyan builds a fresh record per call (its own fields,
 * the child's, the call's) and hands it here, before serializing it for every stream;
 * child loggers share the prototype. The fields go onto that record.
 */
export function wrapEmit(kit: InstrumentationKit): MakeWrapper {
  return (original: AnyFunction) =>
    function _emit(this: unknown, rec: unknown): unknown {
      if (kit.active && rec !== null && typeof rec === 'object') {
        const sc = kit.activeSpanContext();
        if (sc !== undefined) addTraceFields(rec as Record<string, unknown>, sc);
      }
      return original.apply(this, arguments as never);
    };
}
