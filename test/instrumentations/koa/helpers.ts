import type { Server } from 'node:http';
import type { TestAgent } from '../../helpers/agent-harness';
import type { HookConfig, HooksHandle } from '../../../src/hooks';
import { testedPackages } from '../../helpers/registry';
import { nodeRequire, startTracing } from '../../helpers/tracing';

export { nodeRequire };
export { serverSpanFor, traceOf } from '../../helpers/spans';

/** The majors the registry entry is tested with, by the name each is installed under (`koa2` is an npm alias). */
export const KOA_VERSIONS_UNDER_TEST = testedPackages('koa').map(({ id, major }) => ({ koa: id, major }));

/** The routers: @koa/router's newest and oldest tested major (`koa-router-v12` is an alias), and koa-router. */
export const ROUTERS_UNDER_TEST = ['@koa/router', 'koa-router-v12', 'koa-router'] as const;

/** Every Koa major with every router. */
export const KOA_MATRIX = KOA_VERSIONS_UNDER_TEST.flatMap((k) => ROUTERS_UNDER_TEST.map((router) => ({ ...k, router })));

/** Starts the SDK (in-memory spans) and the hooks; Koa and routers load through `require`. */
export function setupKoa(config: HookConfig = {}): { agent: TestAgent; hooks: HooksHandle; load(id: string): Any } {
  const { agent, hooks } = startTracing(config);
  return { agent, hooks, load: (id) => loadExport(id) };
}

/** A package's export, whether CommonJS (`module.exports`) or a transpiled `default`. */
function loadExport(id: string): Any {
  const m = nodeRequire(id) as Any;
  return typeof m === 'function' ? m : (m.default ?? m.Router ?? m);
}

// Both majors and three routers through require(), untyped on purpose.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Any = any;

/** Serves `app.callback()` on an ephemeral port; returns the base URL and a closer. */
export async function serve(app: Any): Promise<{ base: string; close(): Promise<void> }> {
  const http = nodeRequire('node:http') as typeof import('node:http');
  const server: Server = http.createServer(app.callback());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  return {
    base: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
