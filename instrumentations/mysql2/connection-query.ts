import { context } from '../../src/api-globals';
import { type InstrumentationKit, startSpan, type AnyFunction } from '../../src/instrument';
import { callInSpan, sqlSpanEnder, sqlSpanSpec, wrapSqlCallback, type DriverCallback } from '../../src/instrument/db';
import { isTracingSuppressed } from '../../src/suppress';
import { observeCommand, type Command } from './command';
import { mysqlStatusCode, readMysqlCall, type MysqlConnectionLike } from './recipe';

/**
 * Wraps the connection's `query` or `execute`: one CLIENT span per call. The promise API
 * (`mysql2/promise`) and pools call these with a callback, so they are covered without a
 * second span. The callback is replaced by a forwarding wrapper run in the caller's
 * context; without one (streaming), the returned command is observed.
 */
export function wrapConnectionQuery(kit: InstrumentationKit, original: AnyFunction): AnyFunction {
  return function query(this: MysqlConnectionLike, sql?: unknown, values?: unknown, callback?: unknown): unknown {
    const parent = context.active();
    if (!kit.active || isTracingSuppressed(parent)) return original.apply(this, arguments as never);
    const call = kit.safe2(readMysqlCall, this, sql);
    const spec = call === undefined ? undefined : kit.safe(sqlSpanSpec, call);
    if (spec === undefined) return original.apply(this, arguments as never);

    const span = startSpan(kit, spec, parent);
    const end = sqlSpanEnder(kit, span, mysqlStatusCode);
    const args: unknown[] = Array.prototype.slice.call(arguments);
    let hasCallback = true;
    if (isCommand(sql)) {
      // A pool passes the query command it built: its callback is `onResult`.
      if (typeof sql.onResult === 'function') sql.onResult = wrapSqlCallback(sql.onResult, parent, end);
      else hasCallback = false;
    } else {
      const at = typeof values === 'function' ? 1 : typeof callback === 'function' ? 2 : -1;
      if (at >= 0) args[at] = wrapSqlCallback(args[at] as DriverCallback, parent, end);
      else hasCallback = false;
    }
    const cmd = callInSpan(original, this, args, parent, span, end);
    if (!hasCallback) kit.safe2(observeCommand, kit, { cmd, parent, end });
    return cmd;
  };
}

/** mysql2's query command (an EventEmitter with `sql` and `onResult`), as opposed to options. */
function isCommand(sql: unknown): sql is Command {
  return sql !== null && typeof sql === 'object' && typeof (sql as Command).emit === 'function' && 'onResult' in sql;
}
