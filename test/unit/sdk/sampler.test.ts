import { describe, expect, it } from 'vitest';
import { createSampler, traceIdRatio } from '../../../src/sdk/sampler';
import { TraceId } from '../../../src/span-context/ids';

const T = (hex: string) => TraceId.fromHex(hex, 0x02);
const newTraceId = () => TraceId.random();

const parent = (sampled: boolean) => sampled;

describe('samplers', () => {
  it('always_on / always_off ignore the parent', () => {
    expect(createSampler('always_on', 1)(parent(false), newTraceId())).toBe(true);
    expect(createSampler('always_off', 1)(parent(true), newTraceId())).toBe(false);
  });

  it('parentbased_* follow a parent and apply the root sampler to roots', () => {
    for (const name of ['parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'] as const) {
      const s = createSampler(name, 0);
      expect(s(parent(true), T('f'.repeat(32)))).toBe(true);
      expect(s(parent(false), T('f'.repeat(32)))).toBe(false);
    }
    expect(createSampler('parentbased_always_on', 1)(undefined, newTraceId())).toBe(true);
    expect(createSampler('parentbased_always_off', 1)(undefined, newTraceId())).toBe(false);
  });

  it('traceidratio decides on the rightmost 56 bits against (1 - ratio) * 2^56', () => {
    const half = traceIdRatio(0.5);
    // Threshold for 0.5 is 2^55 = 0x80000000000000: the last 14 hex digits decide.
    expect(half(undefined, T('ffffffffffffffffff7fffffffffffff'.slice(0, 32)))).toBe(false);
    expect(half(undefined, T('000000000000000000' + '80000000000000'))).toBe(true);
    expect(half(undefined, T('ffffffffffffffffff' + '7fffffffffffff'))).toBe(false);
    // The leftmost bits play no part (W3C random bits are the rightmost 7 bytes).
    expect(half(undefined, T('0'.repeat(18) + 'ffffffffffffff'))).toBe(true);
    expect(traceIdRatio(0)(undefined, T('f'.repeat(32)))).toBe(false);
    expect(traceIdRatio(1)(undefined, T('0'.repeat(31) + '1'))).toBe(true);
  });

  it('traceidratio is deterministic, monotonic in the ratio and close to the ratio', () => {
    const ids = Array.from({ length: 20000 }, newTraceId);
    const low = traceIdRatio(0.1);
    const high = traceIdRatio(0.3);
    let nLow = 0;
    let nHigh = 0;
    for (const id of ids) {
      const a = low(undefined, id);
      const b = high(undefined, id);
      expect(low(undefined, id)).toBe(a);
      if (a) expect(b).toBe(true);
      nLow += a ? 1 : 0;
      nHigh += b ? 1 : 0;
    }
    expect(nLow / ids.length).toBeGreaterThan(0.085);
    expect(nLow / ids.length).toBeLessThan(0.115);
    expect(nHigh / ids.length).toBeGreaterThan(0.28);
    expect(nHigh / ids.length).toBeLessThan(0.32);
  });
});
