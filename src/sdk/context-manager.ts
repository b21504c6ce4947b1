import { AsyncLocalStorage } from 'node:async_hooks';
import { EventEmitter } from 'node:events';
import { ROOT_CONTEXT, type Context, type ContextManager } from '@opentelemetry/api';

type Listener = (...args: unknown[]) => unknown;
const ADD_METHODS = ['addListener', 'on', 'once', 'prependListener', 'prependOnceListener'] as const;
const BOUND = Symbol('waymark.boundListeners');

/**
 * The API's ContextManager on one AsyncLocalStorage: `with()` is `als.run()`, the cheapest
 * scoping Node 20 has (PERF-FACTS §1), and `active()` is one `getStore()`.
 */
export class AsyncLocalStorageContextManager implements ContextManager {
  readonly #als = new AsyncLocalStorage<Context>();

  active(): Context {
    return this.#als.getStore() ?? ROOT_CONTEXT;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    const cb = thisArg == null ? fn : fn.bind(thisArg);
    return this.#als.run(ctx, cb as (...a: A) => ReturnType<F>, ...args);
  }

  bind<T>(ctx: Context, target: T): T {
    if (typeof target === 'function') return this.#bindFunction(ctx, target as unknown as Listener) as T;
    if (target instanceof EventEmitter) return this.#bindEmitter(ctx, target) as T;
    return target;
  }

  enable(): this {
    return this;
  }

  disable(): this {
    this.#als.disable();
    return this;
  }

  #bindFunction(ctx: Context, fn: Listener): Listener {
    const manager = this;
    const bound = function (this: unknown, ...args: unknown[]) {
      return manager.with(ctx, () => fn.apply(this, args));
    };
    Object.defineProperty(bound, 'length', { value: fn.length, configurable: true });
    Object.defineProperty(bound, 'name', { value: fn.name, configurable: true });
    return bound;
  }

  /** Listeners added to the emitter later run in `ctx`; removeListener still finds them. */
  #bindEmitter(ctx: Context, ee: EventEmitter): EventEmitter {
    const holder = ee as EventEmitter & { [BOUND]?: boolean };
    if (holder[BOUND]) return ee;
    holder[BOUND] = true;
    const originals = new WeakMap<Listener, Listener>();
    for (const method of ADD_METHODS) {
      const orig = ee[method] as (event: string | symbol, l: Listener) => EventEmitter;
      ee[method] = (event: string | symbol, listener: Listener) => {
        if (typeof listener !== 'function') return orig.call(ee, event, listener);
        const bound = this.#bindFunction(ctx, listener);
        originals.set(listener, bound);
        return orig.call(ee, event, bound);
      };
    }
    for (const method of ['removeListener', 'off'] as const) {
      const orig = ee[method] as (event: string | symbol, l: Listener) => EventEmitter;
      ee[method] = (event: string | symbol, listener: Listener) =>
        orig.call(ee, event, originals.get(listener) ?? listener);
    }
    return ee;
  }
}
