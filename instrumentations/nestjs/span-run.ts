import {
  context,
  isClientError,
  recordError,
  recordFrameworkError,
  setSpan,
  type AnyFunction,
  type Context,
  type Exception,
  type InstrumentationKit,
  type Span,
} from '../../src/instrument';

/**
 * Calls `fn` on `self` with `args` with `span` current and ends the span when the call is
 * done: at return, or when the returned promise settles (observed on the side; the
 * caller's promise is returned as is). A failure is recorded on the span and, given the
 * request's `req` (Node's IncomingMessage), on its server span: Nest's exception filter
 * answers it, so neither Express nor Fastify ever sees it. Same result, same error.
 */
export function runInSpan(kit: InstrumentationKit, span: Span, parent: Context, fn: AnyFunction, self: unknown, args: ArrayLike<unknown>, req: object | undefined): unknown {
  let result: unknown;
  try {
    result = context.apply(setSpan(parent, span), fn, self, args);
  } catch (err) {
    endFailed(kit, span, req, err);
    throw err;
  }
  // Native promises only: calling `then` on another thenable (an Observable's cousin) may start its work.
  if (result instanceof Promise) {
    result.then(
      () => span.end(),
      (err: unknown) => endFailed(kit, span, req, err),
    );
  } else {
    span.end();
  }
  return result;
}

/**
 * A thrown HttpException of 4xx (a guard's Forbidden, a pipe's BadRequest, NotFound) is the
 * client's fault: an exception event only, the status left unset as semconv does for a
 * server span's 4xx; anything else (a 500 to come) sets ERROR too.
 */
function endFailed(kit: InstrumentationKit, span: Span, req: object | undefined, err: unknown): void {
  try {
    if (isClientError(err)) span.recordException(err as Exception);
    else recordError(span, err);
    if (req !== undefined) recordFrameworkError(req, err);
  } catch (e) {
    kit.fail(e, 'recording an error');
  }
  span.end();
}
