import type { TestAgent } from '../../helpers/agent-harness';
import type { HookConfig, HooksHandle } from '../../../src/hooks';
import { nodeRequire, startTracing } from '../../helpers/tracing';

/** The server the tests run against. */
export const PG_CONFIG = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' } as const;

// pg through require(), untyped on purpose: the tests exercise every call shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PgModule = any;

/** Starts the SDK (in-memory spans) and the hooks, then loads pg through `require`. */
export function setupPg(config: HookConfig = {}): { agent: TestAgent; hooks: HooksHandle; pg: PgModule } {
  const { agent, hooks } = startTracing(config);
  return { agent, hooks, pg: nodeRequire('pg') as PgModule };
}
