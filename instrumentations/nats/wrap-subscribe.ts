import { traceCall, type AnyFunction, type InstrumentationKit } from '../../src/instrument';
import { sourceOf, type Receiver, type Source } from './delivery';
import { startProcess } from './process';

interface CallbackSubscription extends Receiver {
  noIterator?: boolean;
  callback?: unknown;
}

function tracedCallback(kit: InstrumentationKit, source: Source, callback: AnyFunction): AnyFunction {
  return function callbackInSpan(this: unknown, err?: unknown, message?: unknown): unknown {
    // An error (a timeout, a permission error) or the drain's empty object: not a message.
    const call = kit.active && err == null ? startProcess(kit, source, message) : undefined;
    if (call === undefined) return callback.apply(this, arguments as never);
    return traceCall(call, callback, this, Array.prototype.slice.call(arguments));
  };
}

/**
 * `ProtocolHandler#subscribe(sub)` (every `subscribe` of a connection): a subscription with
 * a callback gets one that runs each message inside a CONSUMER span, the producer's child
 * (the callback otherwise runs in whatever context the socket's data event has: the one
 * that opened the connection). Iterated subscriptions are traced by `wrap-iterate`.
 */
export function wrapSubscribe(kit: InstrumentationKit) {
  return (original: AnyFunction) =>
    function subscribe(this: unknown, sub?: CallbackSubscription): unknown {
      if (kit.active && sub != null && sub.noIterator === true && typeof sub.callback === 'function') {
        const source = kit.safe(sourceOf, sub);
        if (source !== undefined) sub.callback = tracedCallback(kit, source, sub.callback as AnyFunction);
      }
      return original.apply(this, arguments as never);
    };
}
