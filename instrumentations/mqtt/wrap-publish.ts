import { context, setSpan, startCall, traceCall, type AnyFunction, type InstrumentationKit } from '../../src/instrument';
import { mqttServer, speaksMqtt5, type MqttClientLike } from './client';
import { withTraceProperties, type PublishOptions } from './properties';
import { publishSpec } from './recipe';

function spec(a: { client: MqttClientLike; topic: unknown; message: unknown }) {
  return publishSpec({ server: mqttServer(a.client), topic: a.topic, message: a.message });
}

/**
 * `MqttClient#publish(topic, message, [opts], [callback])` (`publishAsync` calls it): a
 * PRODUCER span; on an MQTT 5 client its context goes into a copy of the options' user
 * properties. With a callback the span ends when the client calls it (written for QoS 0,
 * acknowledged for QoS 1 and 2), which runs in the caller's context; without one it ends
 * when `publish` returns: adding a callback of ours would change what the client does with
 * an error (it emits `error` only when the app gave none).
 */
export function wrapPublish(kit: InstrumentationKit) {
  return (original: AnyFunction) =>
    function publish(this: MqttClientLike, topic?: unknown, message?: unknown, opts?: unknown, callback?: unknown): unknown {
      if (!kit.active) return original.apply(this, arguments as never);
      const s = kit.safe(spec, { client: this, topic, message });
      if (s === undefined) return original.apply(this, arguments as never);
      const call = startCall(kit, s, context.active());
      let options = opts;
      let cb = callback;
      if (typeof options === 'function') {
        cb = options;
        options = undefined;
      }
      if (speaksMqtt5(this)) {
        const traced = kit.safe2(withTraceProperties, options as PublishOptions | undefined, setSpan(call.parent, call.span));
        if (traced !== undefined) options = traced;
      }
      if (typeof cb === 'function') return traceCall(call, original, this, [topic, message, options, cb], 3);
      // No callback: the same arity as the app's call, so the client sees no extra argument.
      return traceCall(call, original, this, options === opts ? Array.prototype.slice.call(arguments) : [topic, message, options]);
    };
}
