import type { AnyFunction, InstrumentationKit, Methods } from '../../src/instrument';
import { recordRequestError } from './errors';
import { pathTemplate, usePathArgument } from './route-template';
import { createState, LAYER_TAG, LayerTag, stateOf, type RouterLike } from './state';

/** The Router methods we wrap (Express 4 `lib/router/index.js` proto, router@2 prototype). */
export const ROUTER_METHODS = ['use', 'route', 'handle'] as const;

/**
 * Wraps `use`/`route` (tag each new layer with its owner and path template, once, at
 * registration) and `handle` (per request: hand a mount prefix down to nested routers,
 * and see errors that leave the outermost router).
 */
export function patchRouter(proto: object, kit: InstrumentationKit): void {
  kit.wrap(proto as Methods, 'use', wrapUse(kit));
  kit.wrap(proto as Methods, 'route', wrapRoute(kit));
  kit.wrap(proto as Methods, 'handle', wrapHandle(kit));
}

/** Undoes `patchRouter`. */
export function unpatchRouter(proto: object, kit: InstrumentationKit): void {
  for (const m of ROUTER_METHODS) kit.unwrap(proto as Methods, m);
}

function wrapUse(kit: InstrumentationKit) {
  return (original: AnyFunction): AnyFunction =>
    function use(this: RouterLike, first?: unknown) {
      const stack = this == null ? undefined : this.stack;
      const before = Array.isArray(stack) ? stack.length : -1;
      const result = original.apply(this, arguments as unknown as unknown[]);
      if (before >= 0) {
        try {
          tagLayers(stack!, before, this, pathTemplate(usePathArgument(first)), false);
        } catch (err) {
          kit.fail(err, 'express use');
        }
      }
      return result;
    };
}

function wrapRoute(kit: InstrumentationKit) {
  return (original: AnyFunction): AnyFunction =>
    function route(this: RouterLike, path?: unknown) {
      const result: unknown = original.apply(this, arguments as unknown as unknown[]);
      try {
        const stack = this == null ? undefined : this.stack;
        const last = Array.isArray(stack) ? stack[stack.length - 1] : undefined;
        // The layer `route()` just pushed is the one whose `.route` is what it returned.
        if (last !== undefined && (last as { route?: unknown }).route === result) {
          tagLayers(stack!, stack!.length - 1, this, pathTemplate(path), true);
        }
      } catch (err) {
        kit.fail(err, 'express route');
      }
      return result;
    };
}

function tagLayers(stack: readonly object[], from: number, owner: object, part: string | undefined, isRoute: boolean): void {
  const tag = new LayerTag(owner, part, isRoute);
  for (let i = from; i < stack.length; i++) {
    const layer = stack[i] as { [LAYER_TAG]?: LayerTag };
    if (layer !== null && typeof layer === 'object') layer[LAYER_TAG] = tag;
  }
}

function wrapHandle(kit: InstrumentationKit) {
  return (original: AnyFunction): AnyFunction =>
    function handle(this: object, req: unknown, res: unknown, out: unknown) {
      if (!kit.active || req === null || typeof req !== 'object') return original.apply(this, arguments as unknown as unknown[]);
      const state = stateOf(req);
      if (state !== undefined) {
        // A nested router or sub-app: the mount layer that led here left its prefix.
        const pending = state.pending;
        if (pending !== undefined) {
          state.pending = undefined;
          state.enterRouter(this, pending);
        }
        return original.apply(this, arguments as unknown as unknown[]);
      }
      const created = typeof out === 'function' ? createState(req) : undefined;
      if (created === undefined) return original.apply(this, arguments as unknown as unknown[]);
      // The outermost router of a traced request: errors nobody handled leave through `out`.
      return original.call(this, req, res, function done(this: unknown, err?: unknown) {
        if (err && kit.active) kit.safe2(recordRequestError, created, err);
        return (out as AnyFunction).apply(this, arguments as unknown as unknown[]);
      });
    };
}
