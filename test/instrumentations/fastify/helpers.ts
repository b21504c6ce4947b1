import type { TestAgent } from '../../helpers/agent-harness';
import type { HookConfig, HooksHandle } from '../../../src/hooks';
import { testedPackages } from '../../helpers/registry';
import { nodeRequire, startTracing } from '../../helpers/tracing';

/** The majors the registry entry is tested with, by the name each is installed under (`fastify4` is an npm alias). */
export const FASTIFY_VERSIONS_UNDER_TEST = testedPackages('fastify').map(({ id, major }) => ({ id, major }));

/** Starts the SDK (in-memory spans) and the hooks; Fastify is loaded through `require`. */
export function setupFastify(config: HookConfig = {}): { agent: TestAgent; hooks: HooksHandle; load(id: string): FastifyFactory } {
  const { agent, hooks } = startTracing(config);
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
