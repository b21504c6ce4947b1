import { addTraceFields, type AnyFunction, type InstrumentationKit, type MakeWrapper } from '../../src/instrument';

/**
 * `Logger#write(info)`: every record of a winston 3 logger, its child loggers included
 * (a child's `write` adds its metadata and calls its parent's), enters here synchronously
 * in the caller's context. Formats and transports run later in the stream, possibly in
 * another context, so the fields are added to `info` now, where formats and transports
 * see them as the record's own.
 */
export function wrapWrite(kit: InstrumentationKit): MakeWrapper {
  return (original: AnyFunction) =>
    function write(this: unknown, info: unknown): unknown {
      if (kit.active && info !== null && typeof info === 'object') {
        const sc = kit.activeSpanContext();
        if (sc !== undefined) addTraceFields(info as Record<string, unknown>, sc);
      }
      return original.apply(this, arguments as never);
    };
}
