import type { TestAgent } from '../../helpers/agent-harness';
import type { HookConfig, HooksHandle } from '../../../src/hooks';
import { nodeRequire, startTracing } from '../../helpers/tracing';

/** The MariaDB server the tests run against. */
export const MYSQL_CONFIG = { host: '127.0.0.1', port: 3306, user: 'root', password: '', database: 'test' } as const;

// mysql2 through require(), untyped on purpose: the tests exercise every call shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Mysql2Module = any;

/** Starts the SDK (in-memory spans) and the hooks, then loads mysql2 and mysql2/promise through `require`. */
export function setupMysql2(config: HookConfig = {}): { agent: TestAgent; hooks: HooksHandle; mysql: Mysql2Module; mysqlPromise: Mysql2Module } {
  const { agent, hooks } = startTracing(config);
  return { agent, hooks, mysql: nodeRequire('mysql2'), mysqlPromise: nodeRequire('mysql2/promise') };
}

/** Promisifies a callback-API call `fn(cb)`; resolves with all the callback's arguments. */
export function callback(fn: (cb: (...args: unknown[]) => void) => unknown): Promise<unknown[]> {
  return new Promise((resolve) => fn((...args) => resolve(args)));
}
