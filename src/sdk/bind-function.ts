/** A function called through a context-binding wrapper. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyCallable = (this: any, ...args: any[]) => unknown;

/** Runs `fn` with `self` and `args` in `ctx`: the caller supplies the scoping. */
export type RunBound<C> = (ctx: C, fn: AnyCallable, self: unknown, args: IArguments) => unknown;

/**
 * A wrapper of `fn` that calls `run(ctx, fn, this, arguments)`, with `fn`'s name and length.
 *
 * Drivers bind one callback per query, so this runs on the hot path. Copying name and
 * length with `Object.defineProperty` costs ~0.5 µs per wrapper in isolation and, in a
 * busy server, turned wrappers into dictionary-mode objects (~6 µs per pg query in a
 * `perf` profile). Here the name comes from the computed key of an object literal (the
 * language names a function stored under a computed key) and the length from declared
 * parameters, for the arities callbacks have; only longer ones fall back to defineProperty.
 */
export function bindFunction<C>(fn: AnyCallable, ctx: C, run: RunBound<C>): AnyCallable {
  const name: unknown = fn.name;
  const n = typeof name === 'string' ? name : '';
  let bound: AnyCallable;
  /* eslint-disable @typescript-eslint/no-unused-vars -- declared parameters give the length */
  switch (fn.length) {
    case 0:
      bound = { [n]: function (this: unknown) { return run(ctx, fn, this, arguments); } }[n]!;
      break;
    case 1:
      bound = { [n]: function (this: unknown, _a: unknown) { return run(ctx, fn, this, arguments); } }[n]!;
      break;
    case 2:
      bound = { [n]: function (this: unknown, _a: unknown, _b: unknown) { return run(ctx, fn, this, arguments); } }[n]!;
      break;
    case 3:
      bound = { [n]: function (this: unknown, _a: unknown, _b: unknown, _c: unknown) { return run(ctx, fn, this, arguments); } }[n]!;
      break;
    case 4:
      bound = { [n]: function (this: unknown, _a: unknown, _b: unknown, _c: unknown, _d: unknown) { return run(ctx, fn, this, arguments); } }[n]!;
      break;
    default:
      bound = { [n]: function (this: unknown) { return run(ctx, fn, this, arguments); } }[n]!;
      try {
        Object.defineProperty(bound, 'length', { value: fn.length, configurable: true });
      } catch {
        // A length that cannot be copied is not worth failing the caller's call for.
      }
  }
  /* eslint-enable @typescript-eslint/no-unused-vars */
  return bound;
}

/** `fn.apply(self, args)` as a plain function, for `als.run(ctx, applyFunction, fn, self, args)`. */
export function applyFunction(fn: AnyCallable, self: unknown, args: ArrayLike<unknown>): unknown {
  return Reflect.apply(fn, self, args);
}
