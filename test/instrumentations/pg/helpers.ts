import type { TestAgent } from '../../helpers/agent-harness';
import type { SpanRecord } from '../../../src/export/span-record';
import { installHooks, type HookConfig, type HooksHandle } from '../../../src/hooks';
import type { InstrumentationEntry } from '../../../src/instrument/types';
import { instrumentation as pgInstrumentation } from '../../../instrumentations/pg';
import { instrumentation as expressInstrumentation } from '../../../instrumentations/express';
import { nodeRequire, startSdk, testEntries } from '../setup';

/** The servers the tests run against (see DEVELOPERS.md). */
export const PG_CONFIG = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' } as const;

// pg through require(), untyped on purpose: the tests exercise every call shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PgModule = any;

/** The registry with the pg entry served from the import above (vitest cannot `require()` TypeScript). */
export function pgEntries(base: InstrumentationEntry[] = testEntries()): InstrumentationEntry[] {
  return base.map((e) => {
    if (e.name === 'pg') return { ...e, load: () => pgInstrumentation };
    if (e.name === 'express') return { ...e, load: () => expressInstrumentation };
    return e;
  });
}

/** Starts the SDK (in-memory spans) and the hooks, then loads pg through `require`. */
export function setupPg(config: HookConfig = {}, entries?: InstrumentationEntry[]): { agent: TestAgent; hooks: HooksHandle; pg: PgModule } {
  const agent = startSdk();
  const hooks = installHooks(config, entries ?? pgEntries());
  return { agent, hooks, pg: nodeRequire('pg') as PgModule };
}

/** The finished spans made by the pg instrumentation. */
export function pgSpans(agent: TestAgent): SpanRecord[] {
  return agent.finishedSpans().filter((s) => s.scope.name === 'waymark/pg');
}

/** Waits until `n` pg spans have ended. */
export async function waitForPgSpans(agent: TestAgent, n: number, timeoutMs = 3000): Promise<SpanRecord[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const spans = pgSpans(agent);
    if (spans.length >= n) return spans;
    if (Date.now() > deadline) throw new Error(`expected ${n} pg spans, have ${spans.length}: ${spans.map((s) => s.name).join(', ')}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
