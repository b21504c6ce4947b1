import { getServerSpanHolder, wrapFunction, type AnyFunction, type InstrumentationKit } from '../../src/instrument';
import { traceMiddleware } from './middleware-span';
import { recordKoaError, nameRoute, type KoaContextLike } from './request';

/**
 * One middleware of a traced app. Per call of an untraced request: one property read.
 * A traced call is observed on the side: its error (a throw or a rejection) is recorded on
 * the server span even when an outer middleware of the app catches it; the outermost one
 * names the span by route when the whole chain has settled (the last router match wins).
 * The middleware's return value, `this`, arguments and error reach compose unchanged.
 * With `spans`, each middleware also gets a span of its own.
 */
export function wrapMiddleware(kit: InstrumentationKit, fn: AnyFunction, outermost: boolean, spans: boolean): AnyFunction {
  const wrapped = wrapFunction(
    fn,
    (original) =>
      function koaMiddleware(this: unknown, ctx: KoaContextLike | undefined) {
        if (!kit.active || ctx == null || getServerSpanHolder(ctx.req) === undefined) {
          return original.apply(this, arguments as never);
        }
        let result: unknown;
        try {
          result = spans ? traceMiddleware(kit, ctx, original, this, arguments) : original.apply(this, arguments as never);
        } catch (err) {
          settle(kit, ctx, outermost, err, true);
          throw err;
        }
        // Native promises only: calling `then` on another thenable may start its work.
        if (result instanceof Promise) {
          result.then(
            outermost ? () => settle(kit, ctx, true, undefined, false) : undefined,
            (err: unknown) => settle(kit, ctx, outermost, err, true),
          );
        } else if (outermost) {
          settle(kit, ctx, true, undefined, false);
        }
        return result;
      },
    'koa middleware',
  );
  return wrapped ?? fn;
}

function settle(kit: InstrumentationKit, ctx: KoaContextLike, outermost: boolean, err: unknown, failed: boolean): void {
  if (!kit.active) return;
  if (failed) kit.safe2(recordKoaError, ctx, err);
  if (outermost) kit.safe(nameRoute, ctx);
}
