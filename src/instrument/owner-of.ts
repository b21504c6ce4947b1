import type { AnyFunction } from './wrap';

/** Methods of a prototype, as patches see them (the patch seam is untyped by nature). */
export type Methods = Record<string, AnyFunction>;

/**
 * The object of `ctor.prototype`'s chain that defines `method` (the class itself, or the
 * base class that really holds it, as mysql2's `lib/base/` classes do): wrapping it there
 * gives every subclass one wrapper. Undefined when `ctor` is not a function or nothing below
 * Object/Function defines `method`. Prototypes that are functions (router@2's) count too.
 */
export function ownerOf(ctor: unknown, method: string): Methods | undefined {
  if (typeof ctor !== 'function') return undefined;
  let o: unknown = (ctor as { prototype?: unknown }).prototype;
  while (o !== null && (typeof o === 'object' || typeof o === 'function') && o !== Object.prototype && o !== Function.prototype) {
    if (Object.prototype.hasOwnProperty.call(o, method)) return o as Methods;
    o = Object.getPrototypeOf(o);
  }
  return undefined;
}
