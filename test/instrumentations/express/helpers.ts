import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { TestAgent } from '../../helpers/agent-harness';
import { installHooks, type HookConfig, type HooksHandle } from '../../../src/hooks';
import type { InstrumentationEntry, ModuleTarget } from '../../../src/instrument/types';
import { instrumentation as expressInstrumentation } from '../../../instrumentations/express';
import { nodeRequire, startSdk, testEntries } from '../setup';

// Shared with the other framework's tests.
export { serverSpanFor, traceOf } from '../../helpers/agent-harness';

/** Both majors, by the name they are installed under (`express4` is an npm alias). */
export const EXPRESS_VARIANTS = [
  { id: 'express', major: 5 },
  { id: 'express4', major: 4 },
] as const;

/**
 * The registry, with the express entry served from the import above (vitest cannot
 * `require()` TypeScript) and its `express` targets duplicated for the `express4` alias:
 * the hooks name a package by its node_modules directory.
 */
export function expressEntries(): InstrumentationEntry[] {
  return testEntries().map((e) => {
    if (e.name !== 'express') return e;
    const alias: ModuleTarget[] = e.targets.filter((t) => t.module === 'express').map((t) => ({ ...t, module: 'express4' }));
    return { ...e, targets: [...e.targets, ...alias], load: () => expressInstrumentation };
  });
}

/** Starts the SDK (in-memory spans) and the hooks, then loads Express through `require`. */
export function setupExpress(config: HookConfig = {}): { agent: TestAgent; hooks: HooksHandle; load(id: string): ExpressModule } {
  const agent = startSdk();
  const hooks = installHooks(config, expressEntries());
  return { agent, hooks, load: (id) => nodeRequire(id) as ExpressModule };
}

// Both majors through require(), untyped on purpose.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ExpressModule = any;

/** Listens on an ephemeral port; returns the base URL and a closer. */
export async function listen(app: unknown): Promise<{ url: string; close(): Promise<void> }> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const server: Server = (app as any).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

