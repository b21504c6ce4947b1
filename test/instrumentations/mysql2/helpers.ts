import type { TestAgent } from '../../helpers/agent-harness';
import type { SpanRecord } from '../../../src/export/span-record';
import { installHooks, type HookConfig, type HooksHandle } from '../../../src/hooks';
import type { InstrumentationEntry } from '../../../src/instrument/types';
import { instrumentation as mysql2Instrumentation } from '../../../instrumentations/mysql2';
import { instrumentation as expressInstrumentation } from '../../../instrumentations/express';
import { nodeRequire, startSdk, testEntries } from '../setup';

/** The MariaDB server the tests run against (see DEVELOPERS.md). */
export const MYSQL_CONFIG = { host: '127.0.0.1', port: 3306, user: 'root', password: '', database: 'test' } as const;

// mysql2 through require(), untyped on purpose: the tests exercise every call shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Mysql2Module = any;

/** The registry with the mysql2 (and express) entries served from the imports above (vitest cannot `require()` TypeScript). */
export function mysql2Entries(base: InstrumentationEntry[] = testEntries()): InstrumentationEntry[] {
  return base.map((e) => {
    if (e.name === 'mysql2') return { ...e, load: () => mysql2Instrumentation };
    if (e.name === 'express') return { ...e, load: () => expressInstrumentation };
    return e;
  });
}

/** Starts the SDK (in-memory spans) and the hooks, then loads mysql2 and mysql2/promise through `require`. */
export function setupMysql2(config: HookConfig = {}): { agent: TestAgent; hooks: HooksHandle; mysql: Mysql2Module; mysqlPromise: Mysql2Module } {
  const agent = startSdk();
  const hooks = installHooks(config, mysql2Entries());
  return { agent, hooks, mysql: nodeRequire('mysql2'), mysqlPromise: nodeRequire('mysql2/promise') };
}

/** The finished spans made by the mysql2 instrumentation. */
export function mysqlSpans(agent: TestAgent): SpanRecord[] {
  return agent.finishedSpans().filter((s) => s.scope.name === 'waymark/mysql2');
}

/** Waits until `n` mysql2 spans have ended. */
export async function waitForMysqlSpans(agent: TestAgent, n: number, timeoutMs = 3000): Promise<SpanRecord[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const spans = mysqlSpans(agent);
    if (spans.length >= n) return spans;
    if (Date.now() > deadline) throw new Error(`expected ${n} mysql2 spans, have ${spans.length}: ${spans.map((s) => s.name).join(', ')}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Promisifies a callback-API call `fn(cb)`; resolves with all the callback's arguments. */
export function callback(fn: (cb: (...args: unknown[]) => void) => unknown): Promise<unknown[]> {
  return new Promise((resolve) => fn((...args) => resolve(args)));
}
