import {
  callInSpan,
  observeEmitter,
  startSqlCall,
  type AnyFunction,
  type Callback,
  type InstrumentationKit,
  type MakeWrapper,
  MYSQL_OUTCOME,
  readMysqlCall,
  type MysqlConnectionLike,
} from '../../src/instrument';

/**
 * Wraps `Connection#query`: one CLIENT span per call. Pools (`pool.query`, a cluster's
 * `of(...).query`) build a `Query` and hand it to this method once they hold a connection,
 * so they are covered without a second span. The callback is replaced by a forwarding
 * wrapper run in the caller's context; without one (streaming), the returned `Query`'s
 * events end the span and are delivered in the caller's context too.
 */
export function wrapConnectionQuery(kit: InstrumentationKit): MakeWrapper {
  return (original: AnyFunction) =>
    function query(this: MysqlConnectionLike, sql?: unknown, values?: unknown, callback?: unknown): unknown {
      const call = startSqlCall(kit, readMysqlCall, this, sql, MYSQL_OUTCOME);
      if (call === undefined) return original.apply(this, arguments as never);
      const args: unknown[] = Array.prototype.slice.call(arguments);
      let hasCallback = true;
      if (isQuery(sql)) {
        // A Query built beforehand (by a pool) keeps its callback; its other arguments are ignored.
        if (typeof sql._callback === 'function') sql._callback = call.wrapCallback(sql._callback);
        else hasCallback = false;
      } else {
        // Where Connection.createQuery finds the callback: query(cb), query(sql, cb), query(sql, values, cb).
        const at = typeof sql === 'function' ? 0 : typeof values === 'function' ? 1 : typeof callback === 'function' ? 2 : -1;
        if (at >= 0) args[at] = call.wrapCallback(args[at] as Callback);
        else hasCallback = false;
      }
      const query = callInSpan(call, original, this, args);
      if (!hasCallback) kit.safe2(observeEmitter, kit, { emitter: query, call });
      return query;
    };
}

/** A mysql `Query` (a Sequence: an EventEmitter whose callback is `_callback`), as opposed to options. */
interface Query {
  emit(event: string | symbol, ...args: unknown[]): boolean;
  _callback?: Callback;
}

function isQuery(sql: unknown): sql is Query {
  return sql !== null && typeof sql === 'object' && typeof (sql as Query).emit === 'function' && '_callback' in sql;
}
