import { ROOT_CONTEXT } from '@opentelemetry/api';
import { activeContext, applyInContext, bindContext } from '../sdk/context-manager';
import type { InstrumentationKit } from './kit';
import type { AnyFunction, MakeWrapper } from './wrap';

/**
 * Wrapper of a call whose whole aftermath runs detached from the caller's trace: a client's
 * `connect` (socket events, handshake, ready checks, reconnect timers, keep-alive pings), so
 * a client created inside a request never hangs its connection traffic on that request, and
 * instrumentations that trace only under a parent leave it untraced. Function arguments
 * (callbacks) keep the caller's context.
 */
export function wrapDetached(kit: InstrumentationKit): MakeWrapper {
  return (original: AnyFunction) =>
    function detached(this: unknown, ...args: unknown[]): unknown {
      if (!kit.active) return original.apply(this, args);
      const caller = activeContext();
      for (let i = 0; i < args.length; i++) {
        const arg = args[i];
        if (typeof arg === 'function') args[i] = bindContext(caller, arg as AnyFunction);
      }
      return applyInContext(ROOT_CONTEXT, original, this, args);
    };
}
