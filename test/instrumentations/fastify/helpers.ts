import { SpanKind } from '@opentelemetry/api';
import type { TestAgent } from '../../helpers/agent-harness';
import type { SpanRecord } from '../../../src/export/span-record';
import { installHooks, type HookConfig, type HooksHandle } from '../../../src/hooks';
import type { InstrumentationEntry } from '../../../src/instrument/types';
import { instrumentation as fastifyInstrumentation } from '../../../instrumentations/fastify';
import { nodeRequire, startSdk, testEntries } from '../setup';

/** Both majors, by the name they are installed under (`fastify4` is an npm alias). */
export const FASTIFY_VERSIONS_UNDER_TEST = [
  { id: 'fastify', major: 5 },
  { id: 'fastify4', major: 4 },
] as const;

/** The registry, with the fastify entry served from the import above (vitest cannot `require()` TypeScript). */
export function fastifyEntries(): InstrumentationEntry[] {
  return testEntries().map((e) => (e.name === 'fastify' ? { ...e, load: () => fastifyInstrumentation } : e));
}

/** Starts the SDK (in-memory spans) and the hooks; Fastify is loaded through `require`. */
export function setupFastify(config: HookConfig = {}): { agent: TestAgent; hooks: HooksHandle; load(id: string): FastifyFactory } {
  const agent = startSdk();
  const hooks = installHooks(config, fastifyEntries());
  return { agent, hooks, load: (id) => nodeRequire(id) as FastifyFactory };
}

// Both majors through require(), untyped on purpose.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type FastifyFactory = any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type FastifyApp = any;

/** Listens on an ephemeral port; returns the base URL. */
export async function listen(app: FastifyApp): Promise<string> {
  return (await app.listen({ port: 0, host: '127.0.0.1' })) as string;
}

/** Waits until the SERVER span of the request to `base + path` has ended (port and path match). */
export async function serverSpanFor(agent: TestAgent, base: string, path: string, timeoutMs = 3000): Promise<SpanRecord> {
  const port = Number(new URL(base).port);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const span = agent
      .finishedSpans()
      .find((s) => s.kind === SpanKind.SERVER && s.attributes['url.path'] === path && s.attributes['server.port'] === port);
    if (span !== undefined) return span;
    if (Date.now() > deadline) throw new Error(`no server span for ${path}; have: ${agent.finishedSpans().map((s) => s.name).join(', ')}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** All finished spans of one trace. */
export function traceOf(agent: TestAgent, traceId: string): SpanRecord[] {
  return agent.finishedSpans().filter((s) => s.traceId === traceId);
}
