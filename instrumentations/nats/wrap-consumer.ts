import { traceCall, type AnyFunction, type InstrumentationKit } from '../../src/instrument';
import { sourceOf, type Receiver } from './delivery';
import { startProcess } from './process';

interface ConsumerMessages extends Receiver {
  readonly callback?: unknown;
}

/**
 * JetStream `PullConsumerMessagesImpl#_push(messageOrFn)`: with `consume({ callback })` it
 * calls the app's callback with the message at once; that call runs inside the message's
 * CONSUMER span. (The library catches the callback's throw and stops the consumer with it,
 * so the span records no error.) Iterated consumers are traced by `wrap-iterate`.
 */
export function wrapConsumerPush(kit: InstrumentationKit) {
  return (original: AnyFunction) =>
    function _push(this: ConsumerMessages, r?: unknown): unknown {
      if (!kit.active || typeof this.callback !== 'function' || r === null || typeof r !== 'object') return original.apply(this, arguments as never);
      const source = kit.safe(sourceOf, this);
      const call = source === undefined ? undefined : startProcess(kit, source, r);
      if (call === undefined) return original.apply(this, arguments as never);
      return traceCall(call, original, this, Array.prototype.slice.call(arguments));
    };
}
