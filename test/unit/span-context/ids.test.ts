import { describe, expect, it } from 'vitest';
import { hex64, randomSpanWords, TraceId } from '../../../src/span-context/ids';

describe('ids', () => {
  it('are lowercase hex of the right length, distinct across pool refills', () => {
    const seen = new Set<string>();
    const span = { s0: 0, s1: 0 };
    for (let i = 0; i < 5000; i++) {
      const t = TraceId.random().hex;
      randomSpanWords(span);
      const s = hex64(span.s0, span.s1);
      expect(t).toMatch(/^[0-9a-f]{32}$/);
      expect(s).toMatch(/^[0-9a-f]{16}$/);
      seen.add(t);
    }
    expect(seen.size).toBe(5000);
  });
});
