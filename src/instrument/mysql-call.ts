import type { CallOutcome } from './trace-call';
import { sqlOutcome, type SqlCall } from './sql-span';

// The MySQL protocol's recipe, shared by its two drivers (mysql2 and mysqljs `mysql`): both
// keep the same `ConnectionConfig` fields and send the same server errors.

/** What the recipe reads of a mysql or mysql2 connection: its `ConnectionConfig`. */
export interface MysqlConnectionLike {
  readonly config?: {
    readonly host?: unknown;
    readonly port?: unknown;
    readonly database?: unknown;
    readonly socketPath?: unknown;
  };
}

/**
 * Recipe: the SQL call of `connection.query(sql)` / `execute(sql)`, where `sql` is the
 * statement, an options object `{ sql, values }` or the query a pool built (which has `sql`
 * too). The statement is read before the driver interpolates the values into it.
 */
export function readMysqlCall(connection: MysqlConnectionLike, sql: unknown): SqlCall {
  const text = typeof sql === 'string' ? sql : sql !== null && typeof sql === 'object' ? (sql as { sql?: unknown }).sql : undefined;
  const config = connection.config ?? {};
  const socket = typeof config.socketPath === 'string' && config.socketPath.length > 0 ? config.socketPath : undefined;
  return {
    system: 'mysql',
    text: typeof text === 'string' ? text : undefined,
    namespace: typeof config.database === 'string' ? config.database : undefined,
    serverAddress: socket ?? (typeof config.host === 'string' ? config.host : undefined),
    serverPort: socket === undefined && typeof config.port === 'number' ? config.port : undefined,
  };
}

/** The server's error number (`1064`) of an error the server sent (it has a `sqlState`). */
export function mysqlStatusCode(err: unknown): string | undefined {
  if (err === null || typeof err !== 'object') return undefined;
  const { errno, sqlState } = err as { errno?: unknown; sqlState?: unknown };
  return typeof errno === 'number' && typeof sqlState === 'string' ? String(errno) : undefined;
}

/** How a MySQL call's span reads a failure: the server's error number is its status code. */
export const MYSQL_OUTCOME: CallOutcome = sqlOutcome(mysqlStatusCode);
