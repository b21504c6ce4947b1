import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { TestAgent } from '../../helpers/agent-harness';
import type { HookConfig, HooksHandle } from '../../../src/hooks';
import { testedPackages } from '../../helpers/registry';
import { nodeRequire, startTracing } from '../../helpers/tracing';

/** The majors the registry entry is tested with, by the name each is installed under (`express4` is an npm alias). */
export const EXPRESS_VARIANTS = testedPackages('express').map(({ id, major }) => ({ id, major }));

/** Starts the SDK (in-memory spans) and the hooks; Express is loaded through `require`. */
export function setupExpress(config: HookConfig = {}): { agent: TestAgent; hooks: HooksHandle; load(id: string): ExpressModule } {
  const { agent, hooks } = startTracing(config);
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
