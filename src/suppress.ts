import { createContextKey, type Context } from '@opentelemetry/api';
import { activeContext, withContext } from './sdk/context-manager';

/**
 * The same key @opentelemetry/core uses (createContextKey is Symbol.for(description)),
 * so suppression set by OpenTelemetry code is honoured by ours and vice versa.
 */
export const SUPPRESS_TRACING_KEY = createContextKey('OpenTelemetry SDK Context Key SUPPRESS_TRACING');

/** A context in which no span is recorded and nothing is instrumented. */
export function suppressTracing(ctx: Context): Context {
  return ctx.setValue(SUPPRESS_TRACING_KEY, true);
}

/** True when tracing is suppressed in `ctx` (the agent's own export traffic). */
export function isTracingSuppressed(ctx: Context): boolean {
  return ctx.getValue(SUPPRESS_TRACING_KEY) === true;
}

/** Runs `fn` with tracing suppressed. */
export function withoutTracing<T>(fn: () => T): T {
  return withContext(suppressTracing(activeContext()), fn);
}
