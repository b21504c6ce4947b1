import { trace } from '@opentelemetry/api';
import { context } from '../../src/api-globals';
import { type InstrumentationKit, startSpan, type AnyFunction } from '../../src/instrument';
import { callInSpan, endWhenSettled, sqlSpanEnder, wrapSqlCallback, type DriverCallback } from '../../src/instrument/db';
import { isTracingSuppressed } from '../../src/suppress';
import { pgConnectSpec, pgStatusCode, type PgClientLike } from './recipe';

/**
 * Wraps `Client.prototype.connect` (callback and promise forms): a `pg.connect` span, so a
 * refused or slow connection, also one a pool opens for `pool.query`, shows in the trace.
 * Only under an active span: pools reconnecting in the background make no orphan spans.
 */
export function wrapClientConnect(kit: InstrumentationKit, original: AnyFunction): AnyFunction {
  return function connect(this: PgClientLike, callback?: unknown): unknown {
    const parent = context.active();
    if (!kit.active || trace.getSpan(parent) === undefined || isTracingSuppressed(parent)) return original.apply(this, arguments as never);
    const spec = kit.safe(pgConnectSpec, this);
    if (spec === undefined) return original.apply(this, arguments as never);
    const span = startSpan(kit, spec, parent);
    const end = sqlSpanEnder(kit, span, pgStatusCode);
    const args: unknown[] = Array.prototype.slice.call(arguments);
    if (typeof callback === 'function') {
      args[0] = wrapSqlCallback(callback as DriverCallback, parent, end);
      return callInSpan(original, this, args, parent, span, end);
    }
    const result = callInSpan(original, this, args, parent, span, end);
    endWhenSettled(result, end);
    return result;
  };
}
