import type { InstrumentationKit, Instrumentation, AnyFunction } from '../../src/instrument';
import { wrapConsume } from './consume';
import { wrapPublish } from './publish';

/**
 * amqplib (RabbitMQ): PRODUCER spans for `publish`/`sendToQueue` with the trace context in
 * the message headers, CONSUMER spans around `consume` callbacks, parented by the producer.
 * Targets: `lib/channel_model.js` (promise API) and `lib/callback_model.js` (callback API);
 * both export a `Channel` class (ConfirmChannel extends it).
 */

// The patch seam: prototypes are untyped by nature.
type Methods = Record<string, AnyFunction>;

function channelProto(moduleExports: unknown): Methods | undefined {
  const ctor = (moduleExports as { Channel?: unknown } | null)?.Channel;
  const proto = typeof ctor === 'function' ? (ctor as { prototype?: unknown }).prototype : undefined;
  return proto !== null && typeof proto === 'object' ? (proto as Methods) : undefined;
}

/** Patches of amqplib: `Channel#publish` and `Channel#consume` of the promise and callback APIs. */
export const instrumentation: Instrumentation = {
  patch(moduleExports: unknown, _target, kit: InstrumentationKit) {
    const proto = channelProto(moduleExports);
    if (proto === undefined || typeof proto.publish !== 'function') throw new Error('amqplib Channel class not found');
    kit.wrap(proto, 'publish', wrapPublish(kit));
    kit.wrap(proto, 'consume', wrapConsume(kit));
  },
  unpatch(moduleExports: unknown, _target, kit: InstrumentationKit) {
    const proto = channelProto(moduleExports);
    if (proto === undefined) return;
    kit.unwrap(proto, 'publish');
    kit.unwrap(proto, 'consume');
  },
};
