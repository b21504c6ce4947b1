import type { TraceId } from '../../span-context/ids';

/**
 * A probability decision that records its rate, per OpenTelemetry's probability sampling:
 * sampled when the trace id's 56 random bits R are ≥ the rejection threshold
 * T = 2^56 - round(p * 2^56) (so, unlike (1 - p) * 2^56, a small p loses no bits), and the sampled root's tracestate carries `ot=th:<T>` (T in
 * up to 14 lower-case hex digits, trailing zeros removed; `0` for p = 1) so a backend can
 * extrapolate counts. Returns the `th` value when sampled, false otherwise.
 */
export type ProbabilityDecision = (traceId: TraceId) => string | false;

export function probabilityDecision(p: number): ProbabilityDecision {
  if (!(p > 0)) return () => false;
  if (p >= 1) return () => '0';
  const threshold = 2n ** 56n - BigInt(Math.round(p * 2 ** 56));
  const tHigh = Number(threshold >> 32n);
  const tLow = Number(threshold & 0xffffffffn);
  const th = thresholdHex(threshold);
  return (traceId) => {
    const rHigh = traceId.w2 & 0xffffff;
    const rLow = traceId.w3;
    return rHigh > tHigh || (rHigh === tHigh && rLow >= tLow) ? th : false;
  };
}

/** T as the `th` sub-key value: 14 hex digits with trailing zeros removed, at least one digit. */
export function thresholdHex(threshold: bigint): string {
  const s = threshold.toString(16).padStart(14, '0').replace(/0+$/, '');
  return s === '' ? '0' : s;
}
