import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { Instrumentation, InstrumentationKit } from '../../src/instrument';
import { instrumentInstance, type FastifyLike } from './instance';

/**
 * Fastify 4 and 5 publish every new root instance on this channel (`{ fastify }`), in
 * CommonJS and ESM alike, so nothing of Fastify is patched: we add two hooks to each
 * instance. https://fastify.dev/docs/latest/Reference/Hooks/#diagnostics-channel-hooks
 */
export const INIT_CHANNEL = 'fastify.initialization';

let listener: ((message: unknown) => void) | undefined;

export const instrumentation: Instrumentation = {
  start(kit: InstrumentationKit): void {
    if (listener !== undefined) return;
    listener = (message: unknown) => {
      if (kit.active) kit.safe2(onInitialization, kit, message);
    };
    subscribe(INIT_CHANNEL, listener);
  },
  stop(): void {
    if (listener === undefined) return;
    unsubscribe(INIT_CHANNEL, listener);
    listener = undefined;
  },
};

function onInitialization(kit: InstrumentationKit, message: unknown): void {
  const app = (message as { fastify?: unknown } | null)?.fastify;
  if (app === null || (typeof app !== 'object' && typeof app !== 'function')) return;
  instrumentInstance(kit, app as FastifyLike);
}
