import { ownerOf, type Instrumentation, type InstrumentationKit, type Methods } from '../../src/instrument';
import { wrapConsume } from './consume';
import { wrapPublish } from './publish';

/**
 * amqplib (RabbitMQ): PRODUCER spans for `publish`/`sendToQueue` with the trace context in
 * the message headers, CONSUMER spans around `consume` callbacks, parented by the producer.
 * Targets: `lib/channel_model.js` (promise API) and `lib/callback_model.js` (callback API);
 * both export a `Channel` class (ConfirmChannel extends it).
 */

function channelProto(moduleExports: unknown): Methods | undefined {
  return ownerOf((moduleExports as { Channel?: unknown } | null)?.Channel, 'publish');
}

/** Patches of amqplib: `Channel#publish` and `Channel#consume` of the promise and callback APIs. */
export const instrumentation: Instrumentation = {
  patch(moduleExports: unknown, _target, kit: InstrumentationKit) {
    const proto = channelProto(moduleExports);
    if (proto === undefined) throw new Error('amqplib Channel class not found');
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
