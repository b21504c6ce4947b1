import { AsyncLocalStorage } from 'node:async_hooks';
import { EventEmitter } from 'node:events';
import { ROOT_CONTEXT, type Context, type ContextManager } from '@opentelemetry/api';
import { registeredContextManager } from '../api-globals';
import { applyFunction, bindFunction, type AnyCallable, type RunBound } from './bind-function';

type Listener = (...args: unknown[]) => unknown;
const ADD_METHODS = ['addListener', 'on', 'once', 'prependListener', 'prependOnceListener'] as const;
const BOUND = Symbol('waymark.boundListeners');

/** Past this many links a context is flattened into one Map (lookups stay short). */
const MAX_CHAIN = 8;
const NO_PARENT: undefined = undefined;

/**
 * An immutable API Context as a chain of one-key links: `setValue` is one small object
 * (the API's BaseContext copies a Map and makes three closures per `setValue`). Lookups
 * walk at most MAX_CHAIN links; longer chains are flattened into a Map node.
 */
class ChainContext implements Context {
  readonly #parent: ChainContext | undefined;
  readonly #key: symbol | undefined;
  readonly #value: unknown;
  readonly #depth: number;
  readonly #flat: Map<symbol, unknown> | undefined;

  constructor(
    parent: ChainContext | undefined,
    key: symbol | undefined,
    value: unknown,
    depth: number,
    flat: Map<symbol, unknown> | undefined,
  ) {
    this.#parent = parent;
    this.#key = key;
    this.#value = value;
    this.#depth = depth;
    this.#flat = flat;
  }

  getValue(key: symbol): unknown {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    let c: ChainContext | undefined = this;
    while (c !== undefined) {
      if (c.#key === key) return c.#value;
      if (c.#flat !== undefined) return c.#flat.get(key);
      c = c.#parent;
    }
    return undefined;
  }

  setValue(key: symbol, value: unknown): Context {
    if (this.#depth >= MAX_CHAIN) return this.#flatten(key, value, false);
    return new ChainContext(this, key, value, this.#depth + 1, undefined);
  }

  deleteValue(key: symbol): Context {
    // A link holding undefined reads like a missing key (as Map#get of a deleted key does).
    if (this.#depth >= MAX_CHAIN) return this.#flatten(key, undefined, true);
    return new ChainContext(this, key, undefined, this.#depth + 1, undefined);
  }

  #flatten(key: symbol, value: unknown, remove: boolean): Context {
    const entries: ChainContext[] = [];
    let base: Map<symbol, unknown> | undefined;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    let c: ChainContext | undefined = this;
    while (c !== undefined) {
      if (c.#flat !== undefined) {
        base = c.#flat;
        break;
      }
      entries.push(c);
      c = c.#parent;
    }
    const map = new Map<symbol, unknown>(base);
    for (let i = entries.length - 1; i >= 0; i--) {
      const e = entries[i]!;
      if (e.#key === undefined) continue;
      if (e.#value === undefined) map.delete(e.#key);
      else map.set(e.#key, e.#value);
    }
    if (remove) map.delete(key);
    else map.set(key, value);
    return new ChainContext(NO_PARENT, undefined, undefined, 0, map);
  }
}

/** What `enterContext` returns when it changed nothing (so `restoreContext` does nothing). */
export const NOT_ENTERED: unique symbol = Symbol('waymark.notEntered');
export type ContextToken = Context | undefined | typeof NOT_ENTERED;

/**
 * An empty context of the agent's own, cheaper to derive from than the API's
 * ROOT_CONTEXT. Instrumentations start request contexts from it (e.g. extracting incoming
 * headers); `active()` still answers the API's ROOT_CONTEXT outside any scope.
 */
export const EMPTY_CONTEXT: Context = new ChainContext(NO_PARENT, undefined, undefined, 0, undefined);

/**
 * The API's ContextManager on one AsyncLocalStorage: `with()` is `als.run()`, the cheapest
 * scoping Node 20 has (~18 ns a call), and `active()` is one `getStore()` (~11 ns).
 */
export class AsyncLocalStorageContextManager implements ContextManager {
  readonly #als = new AsyncLocalStorage<Context>();

  active(): Context {
    return this.#als.getStore() ?? ROOT_CONTEXT;
  }

  /** `with()` for a callback of up to three arguments, without rest/spread arrays. */
  run3<A, B, C, R>(ctx: Context, fn: (a: A, b: B, c: C) => R, a: A, b: B, c: C): R {
    return this.#als.run(ctx, fn, a, b, c);
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

  /**
   * Makes `ctx` current where the caller runs and returns what was current, for
   * `restore`. Together they do what `als.run()` does on Node 20 (set the store on the
   * current async resource, put the old one back), without its callback and rest array:
   * wrappers on hot paths use them around one `original.apply(this, arguments)`, which V8
   * can then forward without materializing `arguments`.
   */
  enter(ctx: Context): ContextToken {
    const prev = this.#als.getStore();
    if (prev === ctx) return NOT_ENTERED;
    this.#als.enterWith(ctx);
    return prev;
  }

  /** Puts back what `enter` returned. */
  restore(prev: Context | undefined): void {
    this.#als.enterWith(prev as Context);
  }

  enable(): this {
    return this;
  }

  disable(): this {
    this.#als.disable();
    return this;
  }

  #bindFunction(ctx: Context, fn: Listener): Listener {
    return bindFunction(fn, ctx, this.#runBound) as Listener;
  }

  /** Calls a bound function in its context (one closure per manager, not per bind). */
  readonly #runBound: RunBound<Context> = (ctx, fn, self, args) => this.#als.run(ctx, applyFunction, fn, self, args);

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

/**
 * The registered global context manager when it is one of ours, else undefined. Lets hot
 * paths skip the generic layer's rest arguments.
 */
function ownManager(): AsyncLocalStorageContextManager | undefined {
  const m = registeredContextManager();
  return m instanceof AsyncLocalStorageContextManager ? m : undefined;
}

/*
 * The registered context, for the core and (through src/instrument) the instrumentations:
 * the one entry point. Each function calls our manager directly when it is the registered
 * one (no rest arguments), else whichever manager another API user registered, else acts
 * as the API does with none (the root context, functions called as they are).
 */

/** The active context. */
export function activeContext(): Context {
  const m = registeredContextManager();
  return m !== undefined ? m.active() : ROOT_CONTEXT;
}

/** `context.with()` of the API: `fn.apply(thisArg, args)` with `ctx` active. */
export function withContext<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
  ctx: Context,
  fn: F,
  thisArg?: ThisParameterType<F>,
  ...args: A
): ReturnType<F> {
  const m = registeredContextManager();
  return m !== undefined ? m.with(ctx, fn, thisArg, ...args) : fn.apply(thisArg, args);
}

/** `context.bind()` of the API: a function or EventEmitter whose calls/listeners run in `ctx`. */
export function bindContext<T>(ctx: Context, target: T): T {
  const m = registeredContextManager();
  return m !== undefined ? m.bind(ctx, target) : target;
}

/** `withContext(ctx, fn, undefined, a, b, c)`, without rest arguments through our manager. */
export function runInContext<A, B, C, R>(ctx: Context, fn: (a: A, b: B, c: C) => R, a: A, b: B, c: C): R {
  const m = ownManager();
  return m !== undefined ? m.run3(ctx, fn, a, b, c) : withContext(ctx, fn, undefined, a, b, c);
}

/** `fn.apply(self, args)` with `ctx` active, without a closure or rest arguments. */
export function applyInContext(ctx: Context, fn: AnyCallable, self: unknown, args: ArrayLike<unknown>): unknown {
  return runInContext(ctx, applyFunction, fn, self, args);
}

/**
 * Makes `ctx` current until `restoreContext(token)`, which must run in a `finally` of
 * the same synchronous call. Nothing changes when `ctx` is current already, or when
 * another context manager has replaced ours (that manager then decides what is current).
 */
export function enterContext(ctx: Context): ContextToken {
  const m = ownManager();
  return m === undefined ? NOT_ENTERED : m.enter(ctx);
}

/** Undoes `enterContext`. */
export function restoreContext(token: ContextToken): void {
  if (token === NOT_ENTERED) return;
  ownManager()?.restore(token);
}
