import shimmer from 'shimmer';
import { diag, describeError } from '../diag';

/** Any function; the patch seam is untyped by nature. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFunction = (this: any, ...args: any[]) => any;

/** Builds the replacement of `original`; called once, at wrap time. */
export type MakeWrapper<F extends AnyFunction = AnyFunction> = (original: F) => F;

/** Marks our wrappers and points back to the original (one symbol across agent copies). */
const ORIGINAL = Symbol.for('waymark.wrap.original');

// Own properties of a function that a wrapper has of its own and must not take over.
const SKIPPED_KEYS = new Set<string | symbol>(['name', 'length', 'arguments', 'caller', 'prototype', ORIGINAL]);
const SHIMMER_KEYS = new Set<string | symbol>(['__original', '__unwrap', '__wrapped']);

/** True when `fn` is one of our wrappers. */
export function isWrapped(fn: unknown): boolean {
  return typeof fn === 'function' && (fn as { [ORIGINAL]?: unknown })[ORIGINAL] !== undefined;
}

/** The function a wrapper replaced, or `fn` itself when it is not a wrapper. */
export function getOriginal<F>(fn: F): F {
  let f: unknown = fn;
  while (isWrapped(f)) f = (f as unknown as { [ORIGINAL]: unknown })[ORIGINAL];
  return f as F;
}

/**
 * Wraps a free function (a callback, or a module whose exports is a function) and returns
 * the wrapper, or `undefined` when refused (not a function, already wrapped, factory threw).
 * The wrapper gets the original's name, length, prototype and own properties.
 */
export function wrapFunction<F extends AnyFunction>(original: F, make: MakeWrapper<F>, label = 'function'): F | undefined {
  if (typeof original !== 'function') {
    diag.debug(`wrap refused: ${label} is not a function`);
    return undefined;
  }
  if (isWrapped(original)) {
    diag.debug(`wrap refused: ${label} is already wrapped`);
    return undefined;
  }
  const wrapped = buildWrapper(original, make, label);
  if (wrapped === undefined) return undefined;
  try {
    Object.defineProperty(wrapped, ORIGINAL, { value: original, configurable: true });
  } catch (err) {
    diag.debug(`wrap refused: ${label}: ${describeError(err)}`);
    return undefined;
  }
  return wrapped;
}

/**
 * Replaces `target[key]` by `make(original)` through shimmer. Returns true when wrapped.
 * Refuses (false, one debug line) non-functions, accessors, non-writable properties and
 * functions we already wrapped; never throws into the host.
 */
export function wrap<T extends object, K extends keyof T & (string | symbol)>(
  target: T,
  key: K,
  make: MakeWrapper<Extract<T[K], AnyFunction>>,
): boolean {
  const label = String(key);
  try {
    if (target === null || (typeof target !== 'object' && typeof target !== 'function')) {
      diag.debug(`wrap refused: ${label}: target is not an object`);
      return false;
    }
    const desc = findDescriptor(target, key);
    if (desc === undefined || !('value' in desc)) {
      // Missing, or an accessor (reading a getter could load things or have side effects).
      diag.debug(`wrap refused: ${label} is missing or an accessor`);
      return false;
    }
    if (desc.writable !== true) {
      diag.debug(`wrap refused: ${label} is not writable`);
      return false;
    }
    const original = desc.value as Extract<T[K], AnyFunction>;
    if (typeof original !== 'function') {
      diag.debug(`wrap refused: ${label} is not a function`);
      return false;
    }
    if (isWrapped(original)) {
      diag.debug(`wrap refused: ${label} is already wrapped`);
      return false;
    }
    if (!Object.prototype.hasOwnProperty.call(target, key) && !Object.isExtensible(target)) {
      diag.debug(`wrap refused: ${label}: target is not extensible`);
      return false;
    }
    const wrapped = buildWrapper(original, make as unknown as MakeWrapper, label);
    if (wrapped === undefined) return false;
    Object.defineProperty(wrapped, ORIGINAL, { value: original, configurable: true });
    // shimmer keeps the property's enumerability and adds its own __original/__unwrap marks,
    // so other shimmer users see a conventional wrapper.
    shimmer.wrap(target as Record<string | symbol, AnyFunction>, key as string, () => wrapped);
    return true;
  } catch (err) {
    diag.debug(`wrap failed: ${label}: ${describeError(err)}`);
    return false;
  }
}

/** Puts back the original of a wrapper installed by `wrap`. Returns true when restored. */
export function unwrap<T extends object>(target: T, key: keyof T & (string | symbol)): boolean {
  try {
    const current = (target as Record<string | symbol, unknown>)[key];
    if (!isWrapped(current)) return false;
    restore(target, key, (current as { [ORIGINAL]: unknown })[ORIGINAL]);
    return true;
  } catch (err) {
    diag.debug(`unwrap failed: ${String(key)}: ${describeError(err)}`);
    return false;
  }
}

function restore(target: object, key: string | symbol, original: unknown): void {
  const enumerable = Object.prototype.propertyIsEnumerable.call(target, key);
  Object.defineProperty(target, key, { value: original, writable: true, configurable: true, enumerable });
}

function findDescriptor(target: object, key: string | symbol): PropertyDescriptor | undefined {
  for (let o: object | null = target; o !== null; o = Object.getPrototypeOf(o)) {
    const d = Object.getOwnPropertyDescriptor(o, key);
    if (d !== undefined) return d;
  }
  return undefined;
}

function buildWrapper<F extends AnyFunction>(original: F, make: MakeWrapper<F>, label: string): F | undefined {
  let wrapped: F;
  try {
    wrapped = make(original);
  } catch (err) {
    diag.debug(`wrap refused: ${label}: the patch threw: ${describeError(err)}`);
    return undefined;
  }
  if (typeof wrapped !== 'function' || wrapped === original) {
    diag.debug(`wrap refused: ${label}: the patch did not return a new function`);
    return undefined;
  }
  try {
    copyShape(original, wrapped);
  } catch (err) {
    diag.debug(`wrap: ${label}: could not copy name/length/properties: ${describeError(err)}`);
  }
  return wrapped;
}

/** Gives the wrapper the original's name, length, prototype and own properties. */
function copyShape(original: AnyFunction, wrapped: AnyFunction): void {
  Object.defineProperty(wrapped, 'name', { value: original.name, configurable: true });
  Object.defineProperty(wrapped, 'length', { value: original.length, configurable: true });
  const proto = Object.getOwnPropertyDescriptor(wrapped, 'prototype');
  if (proto !== undefined && proto.writable === true && 'prototype' in original) {
    wrapped.prototype = original.prototype;
  }
  for (const k of Reflect.ownKeys(original)) {
    if (SKIPPED_KEYS.has(k) || SHIMMER_KEYS.has(k) || Object.prototype.hasOwnProperty.call(wrapped, k)) continue;
    const d = Object.getOwnPropertyDescriptor(original, k);
    if (d !== undefined) Object.defineProperty(wrapped, k, d);
  }
  if (Object.getPrototypeOf(wrapped) !== Object.getPrototypeOf(original)) {
    Object.setPrototypeOf(wrapped, Object.getPrototypeOf(original));
  }
}
