import type { AnyFunction, InstrumentationKit, MakeWrapper } from '../../src/instrument';
import { wrapMiddleware } from './wrap-middleware';

/** The part of a Koa Application the wrapper reads. */
interface KoaAppLike {
  middleware?: unknown;
}

/**
 * `callback()` composes `this.middleware` (Koa 2: koa-compose; Koa 3: `this.compose`). For
 * that one synchronous call the list is swapped for a copy whose functions are traced, and
 * put back at once: the app's array, and what it holds, stay the app's own.
 */
export function wrapCallback(kit: InstrumentationKit, middlewareSpans: boolean): MakeWrapper {
  return (original: AnyFunction) =>
    function callback(this: KoaAppLike): unknown {
      const stack = this == null ? undefined : this.middleware;
      if (!kit.active || !Array.isArray(stack) || stack.length === 0) return original.apply(this, arguments as never);
      const traced = tracedCopy(kit, stack as unknown[], middlewareSpans);
      if (traced === undefined) return original.apply(this, arguments as never);
      this.middleware = traced;
      try {
        return original.apply(this, arguments as never);
      } finally {
        this.middleware = stack;
      }
    };
}

/** The middleware list with each function wrapped; the first one also names the route. */
function tracedCopy(kit: InstrumentationKit, stack: readonly unknown[], spans: boolean): unknown[] | undefined {
  try {
    const copy = new Array<unknown>(stack.length);
    for (let i = 0; i < stack.length; i++) {
      const fn = stack[i];
      copy[i] = typeof fn === 'function' ? wrapMiddleware(kit, fn as AnyFunction, i === 0, spans) : fn;
    }
    return copy;
  } catch (err) {
    kit.fail(err, 'koa callback');
    return undefined;
  }
}
