import { ownerOf, type Instrumentation, type InstrumentationKit, type Methods } from '../../src/instrument';
import { wrapEmit } from './wrap-emit';
import { wrapPublish } from './wrap-publish';
import { wrapSubscribe, wrapUnsubscribe } from './wrap-subscribe';

/**
 * MQTT.js (`mqtt` 4 and 5): PRODUCER spans for `publish`, CONSUMER spans around the
 * client's `message` listeners. Trace context travels in MQTT 5 user properties only: an
 * MQTT 3.1.1 client (the default protocol) makes the same spans, but its messages carry no
 * context and each received one starts a new trace.
 * Targets: the client class, `build/lib/client.js` (5, its `default` export) and
 * `lib/client.js` (4, the module itself).
 */

function clientProto(moduleExports: unknown): Methods | undefined {
  const e = moduleExports as { default?: unknown } | null;
  const cls = typeof e === 'function' ? e : e?.default;
  return ownerOf(cls, 'publish');
}

/** Patches of mqtt: `MqttClient#publish`, `subscribe`/`unsubscribe` (filters noted), and an own `emit`. */
export const instrumentation: Instrumentation = {
  patch(moduleExports: unknown, _target, kit: InstrumentationKit) {
    const proto = clientProto(moduleExports);
    if (proto === undefined) throw new Error('mqtt MqttClient class not found');
    kit.wrap(proto, 'publish', wrapPublish(kit));
    kit.wrap(proto, 'emit', wrapEmit(kit));
    kit.wrap(proto, 'subscribe', wrapSubscribe(kit));
    kit.wrap(proto, 'unsubscribe', wrapUnsubscribe(kit));
  },
  unpatch(moduleExports: unknown, _target, kit: InstrumentationKit) {
    const proto = clientProto(moduleExports);
    if (proto === undefined) return;
    kit.unwrap(proto, 'publish');
    kit.unwrap(proto, 'emit');
    kit.unwrap(proto, 'subscribe');
    kit.unwrap(proto, 'unsubscribe');
  },
};
