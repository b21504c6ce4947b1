import {
  callInSpan,
  originalCallback,
  startSqlCall,
  traceCall,
  type AnyFunction,
  type Callback,
  type InstrumentationKit,
  type MakeWrapper,
} from '../../src/instrument';
import { PG_OUTCOME, readPgCall, type PgClientLike } from './recipe';
import { observeSubmittable, type Submittable } from './submittable';

/**
 * Wraps `Client.prototype.query`: one CLIENT span per call, whatever its shape (callback,
 * promise, submittable). The driver sees the same arguments, except that a callback is
 * replaced by a forwarding wrapper that runs it in the caller's context.
 */
export function wrapClientQuery(kit: InstrumentationKit): MakeWrapper {
  return (original: AnyFunction) =>
    function query(this: PgClientLike, config?: unknown, values?: unknown, callback?: unknown): unknown {
      const call = config == null ? undefined : startSqlCall(kit, readPgCall, this, config, PG_OUTCOME);
      if (call === undefined) return original.apply(this, arguments as never);
      const args: unknown[] = Array.prototype.slice.call(arguments);
      if (typeof (config as Submittable).submit === 'function') {
        kit.safe2(observeSubmittable, kit, { query: config as Submittable, call });
        return callInSpan(call, original, this, args);
      }
      const found = findCallback(config, values, callback);
      if (found === undefined) return traceCall(call, original, this, args);
      args[found.at] = originalCallback(found.cb);
      return traceCall(call, original, this, args, found.at);
    };
}

/**
 * The callback pg will call, and the argument to put our wrapper in: the third argument,
 * else a function as second argument, else `config.callback`; undefined for the promise
 * form. For `config.callback` our wrapper goes in as third argument, which pg prefers, so
 * the application's object is left untouched.
 */
function findCallback(config: unknown, values: unknown, callback: unknown): { at: 1 | 2; cb: Callback } | undefined {
  if (typeof callback === 'function') return { at: 2, cb: callback as Callback };
  if (callback) return undefined; // pg throws 'callback is not a function'; the span records it
  if (typeof values === 'function') return { at: 1, cb: values as Callback };
  const own = typeof config === 'object' ? (config as { callback?: unknown }).callback : undefined;
  return typeof own === 'function' ? { at: 2, cb: own as Callback } : undefined;
}
