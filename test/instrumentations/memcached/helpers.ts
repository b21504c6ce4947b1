import type { TestAgent } from '../../helpers/agent-harness';
import type { HookConfig, HooksHandle } from '../../../src/hooks';
import { nodeRequire, startTracing } from '../../helpers/tracing';

/** The memcached server the tests run against (Debian's, started by .ci/run). */
export const MEMCACHED_SERVER = '127.0.0.1:11211';

// The client through require(), untyped on purpose: the tests exercise every call shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type MemcachedClass = any;

/** Starts the SDK (in-memory spans) and the hooks, then loads memcached through `require`. */
export function setupMemcached(config: HookConfig = {}): { agent: TestAgent; hooks: HooksHandle; Memcached: MemcachedClass } {
  const { agent, hooks } = startTracing(config);
  return { agent, hooks, Memcached: nodeRequire('memcached') };
}

/** Promisifies a callback-API call `fn(cb)`; resolves with all the callback's arguments and its `this`. */
export function callback(fn: (cb: (...args: unknown[]) => void) => unknown): Promise<{ args: unknown[]; self: unknown }> {
  return new Promise((resolve) =>
    fn(function (this: unknown, ...args: unknown[]) {
      resolve({ args, self: this });
    }),
  );
}
