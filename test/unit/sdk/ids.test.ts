import { describe, expect, it } from 'vitest';
import { newSpanId, newTraceId } from '../../../src/sdk/ids';

describe('ids', () => {
  it('are lowercase hex of the right length, distinct across pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const t = newTraceId();
      const s = newSpanId();
      expect(t).toMatch(/^[0-9a-f]{32}$/);
      expect(s).toMatch(/^[0-9a-f]{16}$/);
      seen.add(t);
    }
    expect(seen.size).toBe(5000);
  });
});
