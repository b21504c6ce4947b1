import type { TestAgent } from '../../helpers/agent-harness';
import { installHooks, type HookConfig, type HooksHandle } from '../../../src/hooks';
import type { InstrumentationEntry } from '../../../src/instrument/types';
import { instrumentation as fastifyInstrumentation } from '../../../instrumentations/fastify';
import { nodeRequire, startSdk, testEntries } from '../setup';

// Shared with the other framework's tests.
export { serverSpanFor, traceOf } from '../../helpers/agent-harness';

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

