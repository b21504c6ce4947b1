import { context } from '../../src/api-globals';
import { type InstrumentationKit, startSpan, type AnyFunction } from '../../src/instrument';
import { callInSpan, endWhenSettled, originalCallback, sqlSpanEnder, sqlSpanSpec, wrapSqlCallback, type DriverCallback } from '../../src/instrument/db';
import { isTracingSuppressed } from '../../src/suppress';
import { pgStatusCode, readPgCall, type PgClientLike } from './recipe';
import { observeSubmittable, type Submittable } from './submittable';

/**
 * Wraps `Client.prototype.query`: one CLIENT span per call, whatever its shape (callback,
 * promise, submittable). The driver sees the same arguments, except that a callback is
 * replaced by a forwarding wrapper that runs it in the caller's context.
 */
export function wrapClientQuery(kit: InstrumentationKit, original: AnyFunction): AnyFunction {
  return function query(this: PgClientLike, config?: unknown, values?: unknown, callback?: unknown): unknown {
    const parent = context.active();
    if (!kit.active || config == null || isTracingSuppressed(parent)) return original.apply(this, arguments as never);
    const call = kit.safe2(readPgCall, this, config);
    const spec = call === undefined ? undefined : kit.safe(sqlSpanSpec, call);
    if (spec === undefined) return original.apply(this, arguments as never);

    const span = startSpan(kit, spec, parent);
    const end = sqlSpanEnder(kit, span, pgStatusCode);
    const args: unknown[] = Array.prototype.slice.call(arguments);
    if (typeof (config as Submittable).submit === 'function') {
      kit.safe2(observeSubmittable, kit, { query: config as Submittable, parent, end });
      return callInSpan(original, this, args, parent, span, end);
    }
    const found = findCallback(config, values, callback);
    if (found === undefined) {
      const result = callInSpan(original, this, args, parent, span, end);
      endWhenSettled(result, end);
      return result;
    }
    args[found.at] = wrapSqlCallback(originalCallback(found.cb), parent, end);
    return callInSpan(original, this, args, parent, span, end);
  };
}

/**
 * The callback pg will call, and the argument to put our wrapper in: the third argument,
 * else a function as second argument, else `config.callback`; undefined for the promise
 * form. For `config.callback` our wrapper goes in as third argument, which pg prefers, so
 * the application's object is left untouched.
 */
function findCallback(config: unknown, values: unknown, callback: unknown): { at: 1 | 2; cb: DriverCallback } | undefined {
  if (typeof callback === 'function') return { at: 2, cb: callback as DriverCallback };
  if (callback) return undefined; // pg throws 'callback is not a function'; the span records it
  if (typeof values === 'function') return { at: 1, cb: values as DriverCallback };
  const own = typeof config === 'object' ? (config as { callback?: unknown }).callback : undefined;
  return typeof own === 'function' ? { at: 2, cb: own as DriverCallback } : undefined;
}
