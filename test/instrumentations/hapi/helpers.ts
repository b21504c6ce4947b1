import type { TestAgent } from '../../helpers/agent-harness';
import { installHooks, type HookConfig, type HooksHandle } from '../../../src/hooks';
import type { InstrumentationEntry } from '../../../src/instrument/types';
import { instrumentation as hapiInstrumentation } from '../../../instrumentations/hapi';
import { nodeRequire, startSdk, testEntries } from '../setup';

export { serverSpanFor, traceOf } from '../../helpers/agent-harness';

/** The oldest and newest Hapi 21, by the name they are installed under (`hapi21-0` is an npm alias). */
export const HAPI_VERSIONS_UNDER_TEST = [
  { hapi: 'hapi21-0', version: '21.0.0' },
  { hapi: '@hapi/hapi', version: '21.4' },
] as const;

/** The registry with the hapi entry served from the import above and its target under the alias too. */
export function hapiEntries(): InstrumentationEntry[] {
  return testEntries().map((e) =>
    e.name === 'hapi'
      ? { ...e, targets: [...e.targets, ...e.targets.map((t) => ({ ...t, module: 'hapi21-0' }))], load: () => hapiInstrumentation }
      : e,
  );
}

/** Starts the SDK (in-memory spans) and the hooks; Hapi loads through `require`. */
export function setupHapi(config: HookConfig = {}): { agent: TestAgent; hooks: HooksHandle; load(id: string): Any } {
  const agent = startSdk();
  const hooks = installHooks(config, hapiEntries());
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
