import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { trace, type Span } from '@opentelemetry/api';
import { installHooks, type HookConfig, type HooksHandle } from '../../../src/hooks';
import { INSTRUMENTATIONS } from '../../../instrumentations';
import type { Instrumentation, InstrumentationEntry } from '../../../src/instrument';
import type { SpanRecord } from '../../../src/export/span-record';
import { instrumentation as ioredis } from '../../../instrumentations/ioredis';
import { instrumentation as redis } from '../../../instrumentations/redis';
import { instrumentation as amqplib } from '../../../instrumentations/amqplib';
import { startSdk } from '../setup';
import type { TestAgent } from '../../helpers/agent-harness';

/**
 * Test harness shared by the ioredis, node-redis and amqplib tests: the real SDK with an
 * in-memory exporter, and the real hooks installed with the registry's own entries (their
 * `load` served from imports: vitest cannot `require()` TypeScript).
 */

/** Node's require: libraries must be loaded through it so require-in-the-middle sees them. */
export const nodeRequire = createRequire(__filename);

const LOADED: Record<string, Instrumentation> = { ioredis, redis, amqplib };

// The second installed major of ioredis is the npm alias `ioredis6` (its directory name is
// what the hook matches): the same entry, targeting the alias.
const ALIASES: Record<string, string> = { ioredis: 'ioredis6' };

/** Our registry entries (plus the alias copies), loads served from the imports above. */
export function driverEntries(): InstrumentationEntry[] {
  const out: InstrumentationEntry[] = [];
  for (const e of INSTRUMENTATIONS) {
    const impl = LOADED[e.name];
    if (impl === undefined) continue;
    out.push({ ...e, load: () => impl });
    const alias = ALIASES[e.name];
    if (alias !== undefined) {
      out.push({ ...e, targets: e.targets.map((t) => ({ ...t, module: alias })), load: () => impl });
    }
  }
  return out;
}

/** Starts the SDK and installs the hooks for our drivers, once per test file (process). */
export function startDriverTracing(config: HookConfig = {}): { agent: TestAgent; hooks: HooksHandle } {
  const agent = startSdk();
  const hooks = installHooks(config, driverEntries());
  return { agent, hooks };
}

/** A prefix unique to this run, for keys and queue names. */
export function uniquePrefix(what: string): string {
  return `wm-test:${what}:${process.pid}:${randomBytes(4).toString('hex')}:`;
}

/** Runs `fn` inside an active manual parent span, ended when `fn` settles. */
export async function inParent<T>(fn: (parent: Span) => Promise<T>, name = 'parent'): Promise<{ result: T; parent: Span }> {
  return trace.getTracer('test').startActiveSpan(name, async (parent) => {
    try {
      return { result: await fn(parent), parent };
    } finally {
      parent.end();
    }
  });
}

/** Spans of one instrumentation scope (`waymark/<name>`). */
export function spansOf(agent: TestAgent, name: string): SpanRecord[] {
  return agent.finishedSpans().filter((s) => s.scope.name === `waymark/${name}`);
}

/** Waits until `pred` holds on the finished spans. */
export async function waitFor(agent: TestAgent, pred: (spans: SpanRecord[]) => boolean, timeoutMs = 3000): Promise<SpanRecord[]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const spans = agent.finishedSpans();
    if (pred(spans)) return spans;
    if (Date.now() > until) throw new Error(`timed out; spans: ${spans.map((s) => s.name).join(', ')}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The repository root; spawned fixtures run the compiled agent from build/. */
export const ROOT = join(__dirname, '..', '..', '..');
export const FIXTURES = join(ROOT, 'test', 'fixtures');

/** Fails early with a clear message when the compiled agent is missing. */
export function assertBuilt(): void {
  if (!existsSync(join(ROOT, 'build', 'instrumentations', 'index.js'))) {
    throw new Error('build/ is missing: run `npx tsc -p tsconfig.json` first');
  }
}

/** Runs `node <args>` in the repository root with `env` added; resolves with its output. */
export { runNode } from '../../helpers/run-node';
