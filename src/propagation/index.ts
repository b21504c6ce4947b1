import type { TextMapPropagator } from '@opentelemetry/api';
import { diag } from '../diag';
import { W3CBaggagePropagator } from './baggage';
import { createB3MultiPropagator, createB3SinglePropagator } from './b3';
import { CompositePropagator } from './composite';
import { JaegerPropagator } from './jaeger';
import { W3CTraceContextPropagator } from './trace-context';

export { W3CBaggagePropagator } from './baggage';
export {
  B3_DEBUG_FLAG_KEY,
  createB3MultiPropagator,
  createB3SinglePropagator,
} from './b3';
export { CompositePropagator } from './composite';
export { JaegerPropagator } from './jaeger';
export { W3CTraceContextPropagator } from './trace-context';
export { W3CTraceState, parseTraceState } from './trace-state';

/** The OTEL_PROPAGATORS values this agent implements, by name. */
const FACTORIES: Readonly<Record<string, () => TextMapPropagator>> = {
  tracecontext: () => new W3CTraceContextPropagator(),
  baggage: () => new W3CBaggagePropagator(),
  b3: createB3SinglePropagator,
  b3multi: createB3MultiPropagator,
  jaeger: () => new JaegerPropagator(),
};

/**
 * Builds the propagator for a list of OTEL_PROPAGATORS names (the caller passes the
 * default `['tracecontext', 'baggage']`), in list order; unknown names are warned about
 * and skipped, `none` contributes nothing.
 */
export function createPropagator(names: readonly string[]): TextMapPropagator {
  const propagators: TextMapPropagator[] = [];
  const seen = new Set<string>();
  for (const raw of names) {
    const name = raw.trim().toLowerCase();
    if (name.length === 0 || name === 'none' || seen.has(name)) continue;
    seen.add(name);
    const factory = Object.hasOwn(FACTORIES, name) ? FACTORIES[name] : undefined;
    if (factory === undefined) {
      diag.warn(`OTEL_PROPAGATORS: unknown propagator "${raw}" ignored`);
      continue;
    }
    propagators.push(factory());
  }
  // Always the composite, even for one format: it is what keeps a throwing format (or a
  // throwing getter/setter) from reaching the caller.
  return new CompositePropagator(propagators);
}
