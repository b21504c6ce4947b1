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
 * Wraps the connection's `query` or `execute`: one CLIENT span per call. The promise API
 * (`mysql2/promise`) and pools call these with a callback, so they are covered without a
 * second span. The callback is replaced by a forwarding wrapper run in the caller's
 * context; without one (streaming), the returned command is observed.
 */
export function wrapConnectionQuery(kit: InstrumentationKit): MakeWrapper {
  return (original: AnyFunction) =>
    function query(this: MysqlConnectionLike, sql?: unknown, values?: unknown, callback?: unknown): unknown {
      const call = startSqlCall(kit, readMysqlCall, this, sql, MYSQL_OUTCOME);
      if (call === undefined) return original.apply(this, arguments as never);
      const args: unknown[] = Array.prototype.slice.call(arguments);
      let hasCallback = true;
      if (isCommand(sql)) {
        // A pool passes the query command it built: its callback is `onResult`.
        if (typeof sql.onResult === 'function') sql.onResult = call.wrapCallback(sql.onResult);
        else hasCallback = false;
      } else {
        const at = typeof values === 'function' ? 1 : typeof callback === 'function' ? 2 : -1;
        if (at >= 0) args[at] = call.wrapCallback(args[at] as Callback);
        else hasCallback = false;
      }
      const cmd = callInSpan(call, original, this, args);
      if (!hasCallback) kit.safe2(observeEmitter, kit, { emitter: cmd, call });
      return cmd;
    };
}

/** A mysql2 command (Query, Execute): an EventEmitter with `sql` and its callback, `onResult`. */
interface Command {
  emit(event: string | symbol, ...args: unknown[]): boolean;
  onResult?: Callback;
}

/** mysql2's query command, as opposed to an options object. */
function isCommand(sql: unknown): sql is Command {
  return sql !== null && typeof sql === 'object' && typeof (sql as Command).emit === 'function' && 'onResult' in sql;
}
