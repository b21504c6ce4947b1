import type { Server } from 'node:http';
import type { TestAgent } from '../../helpers/agent-harness';
import { installHooks, type HookConfig, type HooksHandle } from '../../../src/hooks';
import type { InstrumentationEntry } from '../../../src/instrument/types';
import { instrumentation as koaInstrumentation } from '../../../instrumentations/koa';
import { nodeRequire, startSdk, testEntries } from '../setup';

export { serverSpanFor, traceOf } from '../../helpers/agent-harness';
export { nodeRequire };

/** Both majors of Koa, by the name they are installed under (`koa2` is an npm alias). */
export const KOA_VERSIONS_UNDER_TEST = [
  { koa: 'koa2', major: 2 },
  { koa: 'koa', major: 3 },
] as const;

/** The routers: @koa/router's newest and oldest tested major (`koa-router-v12` is an alias), and koa-router. */
export const ROUTERS_UNDER_TEST = ['@koa/router', 'koa-router-v12', 'koa-router'] as const;

/** Every Koa major with every router. */
export const KOA_MATRIX = KOA_VERSIONS_UNDER_TEST.flatMap((k) => ROUTERS_UNDER_TEST.map((router) => ({ ...k, router })));

/** The registry with the koa entry served from the import above and its target under the alias too. */
export function koaEntries(): InstrumentationEntry[] {
  return testEntries().map((e) =>
    e.name === 'koa'
      ? { ...e, targets: [...e.targets, ...e.targets.map((t) => ({ ...t, module: 'koa2' }))], load: () => koaInstrumentation }
      : e,
  );
}

/** Starts the SDK (in-memory spans) and the hooks; Koa and routers load through `require`. */
export function setupKoa(config: HookConfig = {}): { agent: TestAgent; hooks: HooksHandle; load(id: string): Any } {
  const agent = startSdk();
  const hooks = installHooks(config, koaEntries());
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
