import {
  context,
  isTracingSuppressed,
  startCall,
  type AnyFunction,
  type Callback,
  type InstrumentationKit,
  type MakeWrapper,
  type SpanCall,
} from '../../src/instrument';
import { MEMCACHED_OUTCOME, memcachedCommandSpec, type MemcachedClientLike, type MemcachedQuery } from './recipe';

/**
 * Wraps `Memcached#command(queryCompiler, server)`, which every command goes through: one
 * CLIENT span per command. The command's data exists only once the client calls the
 * compiler (synchronously, first thing), so the compiler is wrapped: its first result
 * names the span, and its callback is replaced by a forwarding wrapper that ends the span
 * and runs in the caller's context (the client calls back from whichever socket answered).
 * A command without a callback is fire-and-forget for the client too: its span ends when
 * `command` returns.
 */
export function wrapCommand(kit: InstrumentationKit): MakeWrapper {
  return (original: AnyFunction) =>
    function command(this: MemcachedClientLike, queryCompiler?: unknown, server?: unknown): unknown {
      if (!kit.active || typeof queryCompiler !== 'function') return original.apply(this, arguments as never);
      const parent = context.active();
      if (isTracingSuppressed(parent)) return original.apply(this, arguments as never);
      const client = this;
      let call: SpanCall | undefined;
      let endAtReturn = false;
      const args: unknown[] = Array.prototype.slice.call(arguments);
      args[0] = function compile(this: unknown): unknown {
        const query = (queryCompiler as AnyFunction).apply(this, arguments as never) as MemcachedQuery;
        // Later calls compile the same command again (copies for redundant servers, no reply).
        if (call !== undefined || query === null || typeof query !== 'object') return query;
        const spec = kit.safe(memcachedCommandSpec, { query, client, server });
        if (spec === undefined) return query;
        call = startCall(kit, spec, parent, MEMCACHED_OUTCOME);
        if (typeof query.callback === 'function') query.callback = call.wrapCallback(query.callback as Callback);
        else endAtReturn = true;
        return query;
      };
      let result: unknown;
      try {
        result = original.apply(this, args as never);
      } catch (err) {
        (call as SpanCall | undefined)?.fail(err);
        throw err;
      }
      if (endAtReturn) (call as SpanCall | undefined)?.end();
      return result;
    };
}
