import type { TextMapGetter } from '@opentelemetry/api';

/**
 * The first value of a header, or undefined when absent. B3 and Jaeger say the first
 * value wins when a header is repeated (openzipkin/b3-propagation, "Http Propagation").
 */
export function firstValue<C>(getter: TextMapGetter<C>, carrier: C, key: string): string | undefined {
  const raw = getter.get(carrier, key);
  if (Array.isArray(raw)) return raw[0];
  return raw;
}

/**
 * All values of a header combined into one list value, as RFC 7230 §3.2.2 combines
 * repeated fields (`,`-joined); used for tracestate and baggage.
 */
export function combinedValue<C>(getter: TextMapGetter<C>, carrier: C, key: string): string | undefined {
  const raw = getter.get(carrier, key);
  if (Array.isArray(raw)) return raw.length === 0 ? undefined : raw.join(',');
  return raw;
}
