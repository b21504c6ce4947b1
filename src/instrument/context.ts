import { ROOT_CONTEXT, trace, type Context, type Span } from '@opentelemetry/api';
import {
  activeContext,
  applyInContext,
  bindContext,
  EMPTY_CONTEXT,
  enterContext,
  NOT_ENTERED,
  restoreContext,
  withContext,
  type ContextToken,
} from '../sdk/context-manager';

/**
 * The context API of instrumentations: the registered context manager, called straight on
 * ours when it is the registered one (see sdk/context-manager.ts). The methods are plain
 * functions: pass them around or call them detached.
 */
export const context = Object.freeze({
  /** The active context. */
  active: activeContext,
  /** `fn.apply(thisArg, args)` with `ctx` active (the API's `context.with`). */
  with: withContext,
  /** A function, or an EventEmitter whose listeners, run in `ctx` (the API's `context.bind`). */
  bind: bindContext,
  /** `fn.apply(self, args)` with `ctx` active: no closure, no rest array (for wrappers on hot paths). */
  apply: applyInContext,
  /**
   * Makes `ctx` current where the caller runs and returns a token for `restore`, which
   * must run in a `finally` of the same synchronous call. Around one
   * `original.apply(this, arguments)` V8 forwards `arguments` without materializing them,
   * which `with` and `apply` cannot offer (the http emit wrappers run several times per request).
   */
  enter: enterContext,
  /** Undoes `enter` (does nothing for `NOT_ENTERED`). */
  restore: restoreContext,
});

export { ROOT_CONTEXT, EMPTY_CONTEXT, NOT_ENTERED, type Context, type ContextToken };

/** `ctx` with `span` as its current span (the API's `trace.setSpan`). */
export const setSpan: (ctx: Context, span: Span) => Context = trace.setSpan;

/** The current span of `ctx`, if any (the API's `trace.getSpan`). */
export const getSpan: (ctx: Context) => Span | undefined = trace.getSpan;

/** True when `ctx` holds a span with a valid span context (a real parent, not a placeholder). */
export function hasValidSpan(ctx: Context): boolean {
  const span = trace.getSpan(ctx);
  return span !== undefined && trace.isSpanContextValid(span.spanContext());
}
