import { SpanKind, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { activeContext, applyInContext } from '../sdk/context-manager';
import { setSpan } from './context';
import type { InstrumentationKit } from './kit';
import { recordError } from './record-error';
import type { AnyFunction } from './wrap';

/** What a recipe produces at the start of an operation. */
export interface SpanSpec {
  readonly name: string;
  readonly kind?: SpanKind;
  /** Handed over to the span, which keeps this object: build a fresh one per span. */
  readonly attributes?: Attributes;
}

/**
 * What the span of a call reads from its failure or result, beyond the error itself: one
 * constant per call shape, made when the module loads (no closure per call). Both are
 * pure and run through `kit.safe`.
 */
export interface CallOutcome {
  /** Attributes a failure adds once the error is recorded (a server's status code). */
  readonly errorAttributes?: (err: unknown) => Attributes | undefined;
  /** An error carried by a fulfilled result (a batch reply holding per-command errors). */
  readonly errorInResult?: (result: unknown) => unknown;
}

const NO_OUTCOME: CallOutcome = Object.freeze({});

/** A callback `(err, ...results)` as drivers take it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Callback = (this: any, ...args: any[]) => unknown;

/** Marks our callback wrappers and points back to the callback they wrap. */
const WRAPPED_CALLBACK = Symbol.for('waymark.db.callback');

/** Starts a span for `spec` as a child of `parent` (default: the active context). */
export function startSpan(kit: InstrumentationKit, spec: SpanSpec, parent: Context = activeContext()): Span {
  return kit.startSpan(spec.name, spec.kind ?? SpanKind.INTERNAL, spec.attributes, parent);
}

/** Starts the span of one call of the host library (see `traceCall`). */
export function startCall(kit: InstrumentationKit, spec: SpanSpec, parent: Context, outcome: CallOutcome = NO_OUTCOME): SpanCall {
  return new SpanCall(kit, kit.startSpan(spec.name, spec.kind ?? SpanKind.INTERNAL, spec.attributes, parent), parent, outcome);
}

/**
 * The span of one call, from its start to its single end: `end` and `settle` may be called
 * from several places (a callback, an event, a promise); the first one wins. Never throws.
 */
export class SpanCall {
  #open = true;

  constructor(
    readonly kit: InstrumentationKit,
    readonly span: Span,
    /** The caller's context: callbacks and events of the call run in it. */
    readonly parent: Context,
    readonly outcome: CallOutcome,
  ) {}

  /** Ends the span, as a failure when `err` is not null or undefined (a callback's first argument). */
  end(err?: unknown): void {
    if (err != null) {
      this.fail(err);
      return;
    }
    if (!this.#open) return;
    this.#open = false;
    this.span.end();
  }

  /** Ends the span as a failure: `err` (whatever it is: a thrown or rejected value) is recorded. */
  fail(err: unknown): void {
    if (!this.#open) return;
    this.#open = false;
    recordError(this.span, err);
    const errorAttributes = this.outcome.errorAttributes;
    const attributes = errorAttributes === undefined ? undefined : this.kit.safe(errorAttributes, err);
    if (attributes !== undefined) {
      try {
        this.span.setAttributes(attributes);
      } catch {
        // A broken span implementation must not break the host.
      }
    }
    this.span.end();
  }

  /** Ends the span with a fulfilled result (an error it carries is recorded). */
  settle(result: unknown): void {
    if (!this.#open) return;
    const errorInResult = this.outcome.errorInResult;
    this.end(errorInResult === undefined ? undefined : this.kit.safe(errorInResult, result));
  }

  /**
   * A forwarding wrapper of a driver callback: its first call ends the span with the first
   * argument as the error; every call goes to `cb` unchanged (same `this`, arguments,
   * return value and thrown error) in the caller's context, so the application's code after
   * the call sees its own span as parent, not the one of whoever opened the connection.
   */
  wrapCallback<F extends Callback>(cb: F): F {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const call = this;
    const wrapped = function (this: unknown, err?: unknown): unknown {
      call.end(err);
      return applyInContext(call.parent, cb, this, arguments);
    };
    // An assignment, not defineProperty: one per call, and defineProperty on fresh
    // closures is ~10× dearer. A symbol key stays out of for-in, Object.keys and JSON.
    (wrapped as { [WRAPPED_CALLBACK]?: unknown })[WRAPPED_CALLBACK] = cb;
    return wrapped as unknown as F;
  }
}

/** The application's callback behind one of our callback wrappers (or `cb` itself). */
export function originalCallback<F>(cb: F): F {
  let f: unknown = cb;
  while (typeof f === 'function' && (f as { [WRAPPED_CALLBACK]?: unknown })[WRAPPED_CALLBACK] !== undefined) {
    f = (f as unknown as { [WRAPPED_CALLBACK]: unknown })[WRAPPED_CALLBACK];
  }
  return f as F;
}

/**
 * Calls `original` on `self` with `args` inside `call`'s span, and ends the span when the
 * call is done, whatever its shape:
 * - `callbackAt` >= 0: `args[callbackAt]` (a function) is replaced by `call.wrapCallback`;
 * - else a returned promise or thenable is observed on the side with `then(ok, err)` (the
 *   original is returned, no unhandled rejection is made); any other value ends it now.
 * A synchronous throw ends the span with that error and is rethrown as is. Returns exactly
 * what `original` returns. `args` is the caller's own array (it may be changed).
 */
export function traceCall(call: SpanCall, original: AnyFunction, self: unknown, args: unknown[], callbackAt = -1): unknown {
  if (callbackAt >= 0) {
    args[callbackAt] = call.wrapCallback(args[callbackAt] as Callback);
    return callInSpan(call, original, self, args);
  }
  const result = callInSpan(call, original, self, args);
  endOnSettle(call, result);
  return result;
}

/**
 * Calls `original` inside `call`'s span and returns its result; only a synchronous throw
 * ends the span (with that error, rethrown as is). For calls that end by events or by a
 * callback put in place by the caller.
 */
export function callInSpan(call: SpanCall, original: AnyFunction, self: unknown, args: ArrayLike<unknown>): unknown {
  try {
    return applyInContext(setSpan(call.parent, call.span), original, self, args);
  } catch (err) {
    call.fail(err);
    throw err;
  }
}

/**
 * Ends `call` when `result` settles, observed on the side (the caller keeps its own
 * promise); a result that is not a thenable ends it now.
 */
export function endOnSettle(call: SpanCall, result: unknown): void {
  if (!isThenable(result)) {
    call.end();
    return;
  }
  result.then(
    (value) => call.settle(value),
    (err: unknown) => call.fail(err),
  );
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as { then?: unknown }).then === 'function';
}
