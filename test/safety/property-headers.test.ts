import {
  defaultTextMapGetter,
  defaultTextMapSetter,
  propagation,
  ROOT_CONTEXT,
  trace,
  type TextMapPropagator,
} from '@opentelemetry/api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPropagator } from '../../src/propagation';

// Property tests: whatever arrives in a header, extraction never throws, and whatever is
// injected afterwards is well formed and bounded. Nothing invalid is propagated.
const ALL = createPropagator(['tracecontext', 'baggage', 'b3', 'b3multi', 'jaeger']);
const HEADERS = ['traceparent', 'tracestate', 'baggage', 'b3', 'x-b3-traceid', 'x-b3-spanid', 'x-b3-sampled', 'x-b3-flags', 'uber-trace-id', 'uberctx-user'];

const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** Header-ish strings: printable ASCII, control chars, unicode, and near-valid shapes. */
const headerValue = fc.oneof(
  fc.string({ maxLength: 600 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.stringMatching(/^[0-9a-fA-F-]{0,70}$/),
  fc.tuple(fc.constantFrom('00', '01', 'ff', 'cc', 'FF'), fc.stringMatching(/^[0-9a-f]{32}$/), fc.stringMatching(/^[0-9a-f]{16}$/), fc.stringMatching(/^[0-9a-f]{2}$/), fc.string({ maxLength: 5 }))
    .map(([v, t, s, f, extra]) => `${v}-${t}-${s}-${f}${extra}`),
  fc.array(fc.tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 40 })), { maxLength: 60 }).map((kv) => kv.map(([k, v]) => `${k}=${v}`).join(',')),
);

const carrierArb = fc.dictionary(fc.constantFrom(...HEADERS), fc.oneof(headerValue, fc.array(headerValue, { maxLength: 3 })), { maxKeys: HEADERS.length });

function roundTrip(p: TextMapPropagator, carrier: Record<string, unknown>) {
  const ctx = p.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter as never);
  const out: Record<string, string> = {};
  p.inject(ctx, out, defaultTextMapSetter);
  return { ctx, out };
}

describe('property: header extraction and re-injection', () => {
  it('never throws and only ever propagates valid, bounded headers', () => {
    fc.assert(
      fc.property(carrierArb, (carrier) => {
        const { ctx, out } = roundTrip(ALL, carrier);
        const sc = trace.getSpanContext(ctx);
        if (sc !== undefined) {
          expect(sc.traceId).toMatch(/^[0-9a-f]{32}$/);
          expect(sc.spanId).toMatch(/^[0-9a-f]{16}$/);
          expect(sc.traceId).not.toBe('0'.repeat(32));
          expect(sc.spanId).not.toBe('0'.repeat(16));
        }
        if (out.traceparent !== undefined) expect(out.traceparent).toMatch(TRACEPARENT);
        if (out.tracestate !== undefined) {
          expect(out.tracestate.length).toBeLessThanOrEqual(512);
          expect(out.tracestate.split(',').length).toBeLessThanOrEqual(32);
        }
        if (out.baggage !== undefined) expect(out.baggage.length).toBeLessThanOrEqual(8192);
        for (const v of Object.values(out)) {
          expect(typeof v).toBe('string');
          expect(v).not.toMatch(/[\r\n\0]/); // never a header-splitting value
        }
        const bag = propagation.getBaggage(ctx);
        if (bag) expect(bag.getAllEntries().length).toBeLessThanOrEqual(180);
      }),
      { numRuns: 3000 },
    );
  });

  it('each propagator alone survives arbitrary carriers, including non-string values', () => {
    const odd = fc.dictionary(fc.constantFrom(...HEADERS), fc.anything({ maxDepth: 1 }), { maxKeys: 4 });
    for (const name of ['tracecontext', 'baggage', 'b3', 'b3multi', 'jaeger']) {
      const p = createPropagator([name]);
      fc.assert(
        fc.property(fc.oneof(carrierArb, odd as never), (carrier) => {
          expect(() => roundTrip(p, carrier as Record<string, unknown>)).not.toThrow();
        }),
        { numRuns: 500 },
      );
    }
  });

  it('a valid traceparent always survives extraction and is re-injected unchanged apart from the span', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9a-f]{32}$/).filter((s) => !/^0+$/.test(s)),
        fc.stringMatching(/^[0-9a-f]{16}$/).filter((s) => !/^0+$/.test(s)),
        fc.constantFrom('00', '01'),
        (t, s, f) => {
          const { out } = roundTrip(createPropagator(['tracecontext']), { traceparent: `00-${t}-${s}-${f}` });
          expect(out.traceparent).toBe(`00-${t}-${s}-${f}`);
        },
      ),
    );
  });
});
