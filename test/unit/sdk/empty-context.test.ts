import { createContextKey, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { EMPTY_CONTEXT } from '../../../src/sdk/context-manager';

const A = createContextKey('a');
const B = createContextKey('b');

describe('EMPTY_CONTEXT (the agent\'s own Context chain)', () => {
  it('behaves like the API context: immutable set, get, delete', () => {
    expect(EMPTY_CONTEXT.getValue(A)).toBeUndefined();
    const a = EMPTY_CONTEXT.setValue(A, 1);
    const ab = a.setValue(B, 2);
    const a2 = ab.setValue(A, 3);
    expect([a.getValue(A), a.getValue(B)]).toEqual([1, undefined]);
    expect([ab.getValue(A), ab.getValue(B)]).toEqual([1, 2]);
    expect([a2.getValue(A), a2.getValue(B)]).toEqual([3, 2]);
    const deleted = a2.deleteValue(A);
    expect([deleted.getValue(A), deleted.getValue(B)]).toEqual([undefined, 2]);
    expect(a2.getValue(A)).toBe(3);
    expect(EMPTY_CONTEXT.getValue(A)).toBeUndefined();
    expect(EMPTY_CONTEXT).not.toBe(ROOT_CONTEXT);
  });

  it('keeps every value through long chains (flattened past a few links)', () => {
    const keys = Array.from({ length: 40 }, (_, i) => createContextKey(`k${i}`));
    let ctx = EMPTY_CONTEXT;
    const seen: ReturnType<typeof EMPTY_CONTEXT.setValue>[] = [];
    for (let i = 0; i < keys.length; i++) {
      ctx = ctx.setValue(keys[i]!, i);
      if (i % 7 === 3) ctx = ctx.deleteValue(keys[i - 1]!);
      if (i % 11 === 5) ctx = ctx.setValue(keys[0]!, `again${i}`);
      seen.push(ctx);
    }
    for (let i = 0; i < keys.length; i++) {
      const deleted = (i + 1) % 7 === 3 && i + 1 < keys.length;
      if (i === 0) expect(ctx.getValue(keys[0]!)).toBe('again38');
      else expect(ctx.getValue(keys[i]!)).toBe(deleted ? undefined : i);
    }
    // Earlier contexts are unchanged by what was derived from them.
    expect(seen[0]!.getValue(keys[1]!)).toBeUndefined();
    expect(seen[20]!.getValue(keys[21]!)).toBeUndefined();
    expect(seen[20]!.getValue(keys[20]!)).toBe(20);
  });

  it('carries a span through the trace API', () => {
    const span = trace.wrapSpanContext({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 });
    const ctx = trace.setSpan(EMPTY_CONTEXT, span);
    expect(trace.getSpan(ctx)).toBe(span);
    expect(trace.getSpan(trace.deleteSpan(ctx))).toBeUndefined();
  });
});
