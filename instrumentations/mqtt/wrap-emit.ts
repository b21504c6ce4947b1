import { ROOT_CONTEXT, startCall, traceCall, type AnyFunction, type InstrumentationKit } from '../../src/instrument';
import { filtersOf, mqttServer, type MqttClientLike } from './client';
import { deliveryParent } from './properties';
import { processSpec } from './recipe';

interface Emitter extends MqttClientLike {
  listenerCount?(event: string): number;
}

function spec(a: { client: Emitter; args: IArguments }) {
  return processSpec({ server: mqttServer(a.client), topic: a.args[1], message: a.args[2], filters: filtersOf(a.client) });
}

/**
 * `MqttClient#emit` (an own wrapper shadowing the EventEmitter's, for this class only): the
 * `message` event, `(topic, payload, packet)`, is emitted inside a CONSUMER span, so every
 * listener runs in it, whichever packet flow (QoS 0, 1, or 2's PUBREL) emits it. Its parent
 * comes from the packet (MQTT 5 user properties) or is a new trace. Other events, and a
 * message nobody listens to, pass straight through.
 */
export function wrapEmit(kit: InstrumentationKit) {
  return (original: AnyFunction) =>
    function emit(this: Emitter, event?: unknown): unknown {
      if (event !== 'message' || !kit.active) return original.apply(this, arguments as never);
      if (typeof this.listenerCount === 'function' && this.listenerCount('message') === 0) return original.apply(this, arguments as never);
      const s = kit.safe(spec, { client: this, args: arguments });
      if (s === undefined) return original.apply(this, arguments as never);
      const parent = kit.safe(deliveryParent, arguments[3] as never) ?? ROOT_CONTEXT;
      return traceCall(startCall(kit, s, parent), original, this, Array.prototype.slice.call(arguments));
    };
}
