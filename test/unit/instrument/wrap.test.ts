import { describe, it, expect } from 'vitest';
import { getOriginal, isWrapped, unwrap, wrap, wrapFunction, type AnyFunction } from '../../../src/instrument/wrap';

/** A wrapper that calls through, the way instrumentations do. */
const passThrough = (original: AnyFunction): AnyFunction =>
  function wrapped(this: unknown) {
    return original.apply(this, arguments as unknown as unknown[]);
  };

function target() {
  return {
    calls: [] as unknown[],
    method(this: { calls: unknown[] }, a: number, b: number) {
      this.calls.push(this);
      return a + b;
    },
  };
}

describe('wrap: the host sees the original behaviour', () => {
  it('keeps this, arguments and the return value', () => {
    const obj = target();
    expect(wrap(obj, 'method', passThrough)).toBe(true);
    expect(obj.method(2, 3)).toBe(5);
    expect(obj.calls[0]).toBe(obj);
  });

  it('rethrows the same error object', () => {
    const err = new Error('boom');
    const obj = {
      fail() {
        throw err;
      },
    };
    wrap(obj, 'fail', passThrough);
    let caught: unknown;
    try {
      obj.fail();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBe(err);
  });

  it('returns the same promise and rejection', async () => {
    const err = new Error('nope');
    const p = Promise.reject(err);
    p.catch(() => {});
    const obj = { get: () => p };
    wrap(obj, 'get', passThrough);
    expect(obj.get()).toBe(p);
    await expect(obj.get()).rejects.toBe(err);
  });

  it('keeps name, length, own properties, enumerability and prototype', () => {
    function original(this: unknown, _a: unknown, _b: unknown, _c: unknown) {
      return 1;
    }
    original.extra = 42;
    original.prototype.hello = () => 'hi';
    const obj: { fn: typeof original } = { fn: original };
    Object.defineProperty(obj, 'fn', { value: original, enumerable: false, writable: true, configurable: true });
    wrap(obj, 'fn', passThrough);
    expect(obj.fn).not.toBe(original);
    expect(obj.fn.name).toBe('original');
    expect(obj.fn.length).toBe(3);
    expect(obj.fn.extra).toBe(42);
    expect(obj.fn.prototype).toBe(original.prototype);
    expect(Object.keys(obj)).toEqual([]);
    expect(getOriginal(obj.fn)).toBe(original);
  });

  it('wrapFunction keeps the shape of a free function', () => {
    const f = Object.assign(function factory(_x: number) {
      return 'made';
    }, { version: '1' });
    const w = wrapFunction(f, passThrough)!;
    expect(w(1)).toBe('made');
    expect(w.name).toBe('factory');
    expect(w.length).toBe(1);
    expect(w.version).toBe('1');
    expect(isWrapped(w)).toBe(true);
  });
});

describe('wrap: refusals never throw', () => {
  it('refuses a double wrap', () => {
    const obj = target();
    let built = 0;
    const counting = (o: AnyFunction) => {
      built++;
      return passThrough(o);
    };
    expect(wrap(obj, 'method', counting)).toBe(true);
    const once = obj.method;
    expect(wrap(obj, 'method', counting)).toBe(false);
    expect(obj.method).toBe(once);
    expect(built).toBe(1);
    expect(wrapFunction(once, counting)).toBeUndefined();
  });

  it('refuses non-functions and missing properties', () => {
    const obj = { value: 3 } as unknown as { value: AnyFunction; missing: AnyFunction };
    expect(wrap(obj, 'value', passThrough)).toBe(false);
    expect(wrap(obj, 'missing', passThrough)).toBe(false);
    expect((obj as unknown as { value: number }).value).toBe(3);
    expect(wrap(null as unknown as object, 'x' as never, passThrough)).toBe(false);
  });

  it('refuses non-writable properties and accessors', () => {
    const frozen = Object.freeze({ fn: () => 1 });
    expect(wrap(frozen, 'fn', passThrough)).toBe(false);
    const ro = {} as { fn: () => number };
    Object.defineProperty(ro, 'fn', { value: () => 1, writable: false, configurable: true });
    expect(wrap(ro, 'fn', passThrough)).toBe(false);
    let reads = 0;
    const lazy = {
      get fn() {
        reads++;
        return () => 1;
      },
    };
    expect(wrap(lazy, 'fn', passThrough)).toBe(false);
    expect(reads).toBe(0);
  });

  it('skips a patch whose factory throws and keeps the original', () => {
    const obj = target();
    const original = obj.method;
    expect(
      wrap(obj, 'method', () => {
        throw new Error('broken patch');
      }),
    ).toBe(false);
    expect(obj.method).toBe(original);
    expect(isWrapped(obj.method)).toBe(false);
    expect(wrap(obj, 'method', () => 'not a function' as unknown as AnyFunction)).toBe(false);
    expect(obj.method).toBe(original);
  });

  it('unwrap restores the original', () => {
    const obj = target();
    const original = obj.method;
    wrap(obj, 'method', passThrough);
    expect(unwrap(obj, 'method')).toBe(true);
    expect(obj.method).toBe(original);
    expect(unwrap(obj, 'method')).toBe(false);
  });

  it('wraps a method found on the prototype without touching the prototype', () => {
    class A {
      hi() {
        return 'hi';
      }
    }
    const a = new A();
    wrap(a, 'hi', passThrough);
    expect(a.hi()).toBe('hi');
    expect(isWrapped(a.hi)).toBe(true);
    expect(isWrapped(A.prototype.hi)).toBe(false);
  });
});
