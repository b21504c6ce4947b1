import type { TestAgent } from '../../helpers/agent-harness';
import type { HookConfig, HooksHandle } from '../../../src/hooks';
import { nodeRequire, startTracing } from '../../helpers/tracing';

/** The MariaDB server the tests run against. */
export const MYSQL_CONFIG = { host: '127.0.0.1', port: 3306, user: 'root', password: '', database: 'test' } as const;

// mysql through require(), untyped on purpose: the tests exercise every call shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type MysqlModule = any;

/** Starts the SDK (in-memory spans) and the hooks, then loads mysql through `require`. */
export function setupMysql(config: HookConfig = {}): { agent: TestAgent; hooks: HooksHandle; mysql: MysqlModule } {
  const { agent, hooks } = startTracing(config);
  return { agent, hooks, mysql: nodeRequire('mysql') };
}

/** mysql's classes, as its internal files export them (the patched prototypes). */
export function mysqlClasses(): { Connection: MysqlModule; Pool: MysqlModule } {
  return { Connection: nodeRequire('mysql/lib/Connection'), Pool: nodeRequire('mysql/lib/Pool') };
}

/** Promisifies a callback-API call `fn(cb)`; resolves with all the callback's arguments. */
export function callback(fn: (cb: (...args: unknown[]) => void) => unknown): Promise<unknown[]> {
  return new Promise((resolve) => fn((...args) => resolve(args)));
}

/** Runs one query through a callback-API object (connection, pool, cluster namespace) as a promise. */
export function query(on: MysqlModule, sql: string, values?: unknown[]): Promise<unknown> {
  return new Promise((resolve, reject) => on.query(sql, values ?? [], (err: Error | null, rows: unknown) => (err ? reject(err) : resolve(rows))));
}
