import type { TestAgent } from '../../helpers/agent-harness';
import type { HookConfig, HooksHandle } from '../../../src/hooks';
import { nodeRequire, startTracing } from '../../helpers/tracing';

export { serverSpanFor, traceOf } from '../../helpers/spans';

/** The oldest and newest Hapi 21, by the name they are installed under (`hapi21-0` is an npm alias). */
export const HAPI_VERSIONS_UNDER_TEST = [
  { hapi: 'hapi21-0', version: '21.0.0' },
  { hapi: '@hapi/hapi', version: '21.4' },
] as const;

/** Starts the SDK (in-memory spans) and the hooks; Hapi loads through `require`. */
export function setupHapi(config: HookConfig = {}): { agent: TestAgent; hooks: HooksHandle; load(id: string): Any } {
  const { agent, hooks } = startTracing(config);
  return { agent, hooks, load: (id) => nodeRequire(id) as Any };
}

// Hapi through require(), untyped on purpose.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Any = any;

/** A started Hapi server on an ephemeral port, built by `routes`; returns the base URL and the server. */
export async function startHapi(Hapi: Any, routes: (server: Any) => void | Promise<void>): Promise<{ base: string; server: Any }> {
  const server = Hapi.server({ port: 0, host: '127.0.0.1', debug: false });
  await routes(server);
  await server.start();
  return { base: `http://127.0.0.1:${server.info.port}`, server };
}

/** @hapi/boom, for handlers that throw Boom errors. */
export function nodeRequireBoom(): Any {
  return nodeRequire('@hapi/boom');
}
