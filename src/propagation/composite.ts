import {
  propagation,
  trace,
  type Baggage,
  type BaggageEntry,
  type Context,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';
import { isValidSpanContext } from '../span-context/remote-span-context';

/**
 * `out`'s baggage layered over `base`'s, so a format that replaces the baggage on extract
 * cannot drop entries an earlier format found. Undefined when neither has any.
 */
function mergedBaggage(base: Context, out: Context): Baggage | undefined {
  const before = propagation.getBaggage(base);
  const after = propagation.getBaggage(out);
  if (after === undefined || after === before) return before;
  if (before === undefined) return after;
  // Null prototype: a `__proto__` key stays an ordinary entry.
  const entries: Record<string, BaggageEntry> = Object.create(null);
  for (const [key, entry] of before.getAllEntries()) entries[key] = entry;
  for (const [key, entry] of after.getAllEntries()) entries[key] = entry;
  return propagation.createBaggage(entries);
}

/**
 * Runs several formats as one: inject writes every format; extract takes the span context
 * from the first format in the list that yields a valid one and merges everyone's baggage.
 * A failing format is skipped, so inject and extract never throw into the caller.
 */
export class CompositePropagator implements TextMapPropagator {
  readonly #propagators: readonly TextMapPropagator[];
  readonly #fields: string[];

  constructor(propagators: readonly TextMapPropagator[]) {
    this.#propagators = [...propagators];
    const fields = new Set<string>();
    for (const p of this.#propagators) {
      try {
        for (const field of p.fields()) fields.add(field);
      } catch {
        // A format that cannot list its fields still injects and extracts.
      }
    }
    this.#fields = [...fields];
  }

  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    for (const p of this.#propagators) {
      try {
        p.inject(context, carrier, setter);
      } catch {
        // One broken format must not stop the others or the caller's request.
      }
    }
  }

  /**
   * Each format extracts onto the result so far. When a later format also carries a span
   * context, only its baggage is kept: the earlier format's span context (and anything it
   * stored alongside, such as the B3 debug flag) stays authoritative.
   */
  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    try {
      return this.#extract(context, carrier, getter);
    } catch {
      return context;
    }
  }

  #extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    let result = context;
    let found = false;
    for (const p of this.#propagators) {
      let out: Context;
      try {
        out = p.extract(result, carrier, getter);
      } catch {
        continue;
      }
      if (out === result) continue;
      // Compare spans, not span contexts: a recording span may build its context per call.
      const span = trace.getSpan(out);
      const carriesSpan = span !== undefined && span !== trace.getSpan(result);
      let next = result;
      if (!carriesSpan) {
        next = out;
      } else if (!found && isValidSpanContext(span.spanContext())) {
        found = true;
        next = out;
      }
      const baggage = mergedBaggage(result, out);
      if (baggage !== undefined && baggage !== propagation.getBaggage(next)) {
        next = propagation.setBaggage(next, baggage);
      }
      result = next;
    }
    return result;
  }

  fields(): string[] {
    return [...this.#fields];
  }
}
