import { describe, expect, it } from 'vitest';
import { applyFunction, bindFunction, type AnyCallable } from '../../../src/sdk/bind-function';

// The scoping is the caller's; here it records which context each call ran in.
const seen: unknown[] = [];
const run = (ctx: string, fn: AnyCallable, self: unknown, args: IArguments) => {
  seen.push(ctx);
  return applyFunction(fn, self, args);
};

describe('bindFunction', () => {
  it('keeps name and length for every arity, including past the declared ones', () => {
    const fns: AnyCallable[] = [
      function zero() {},
      function one(_a: unknown) {},
      (_a: unknown, _b: unknown) => undefined,
      function three(_a: unknown, _b: unknown, _c: unknown) {},
      function four(_a: unknown, _b: unknown, _c: unknown, _d: unknown) {},
      function six(_a: unknown, _b: unknown, _c: unknown, _d: unknown, _e: unknown, _f: unknown) {},
      function withRest(_a: unknown, ..._rest: unknown[]) {},
    ];
    for (const fn of fns) {
      const bound = bindFunction(fn, 'ctx', run);
      expect([bound.name, bound.length]).toEqual([fn.name, fn.length]);
      expect(bound).not.toBe(fn);
    }
    const anonymous = bindFunction(((x: number) => x) as AnyCallable, 'ctx', run);
    expect(anonymous.name).toBe('');
    expect(bindFunction(function __proto__() {} as AnyCallable, 'ctx', run).name).toBe('__proto__');
  });

  it('passes this, every argument (beyond the declared ones), the return value and throws through, in its context', () => {
    seen.length = 0;
    const self = { k: 3 };
    const bound = bindFunction(function (this: typeof self, a: number) {
      return [this.k, a, ...Array.from(arguments).slice(1)];
    }, 'bound-ctx', run);
    expect(bound.call(self, 1, 2, 4)).toEqual([3, 1, 2, 4]);
    const boom = new Error('boom');
    const thrower = bindFunction(() => {
      throw boom;
    }, 'other', run);
    expect(() => thrower()).toThrow(boom);
    expect(seen).toEqual(['bound-ctx', 'other']);
  });

  it('names a function whose name is not a string (a class with a static name method) with the empty name', () => {
    class Odd {
      static name() {
        return 'x';
      }
    }
    const bound = bindFunction(Odd as unknown as AnyCallable, 'ctx', run);
    expect(bound.name).toBe('');
  });
});
