import { performance } from 'node:perf_hooks';

/**
 * Span timestamps are milliseconds from `performance.now()`: monotonic, sub-microsecond,
 * and a plain double (no allocation on the hot path). They are anchored to wall time
 * once, at load, through `performance.timeOrigin`; conversion to epoch nanoseconds is
 * deferred to export time.
 */
const ORIGIN_MS = performance.timeOrigin;
// Split the anchor into whole ms and the sub-ms remainder so the BigInt sum is exact.
const ORIGIN_WHOLE_MS = Math.floor(ORIGIN_MS);
const ORIGIN_FRACTION_NS = Math.round((ORIGIN_MS - ORIGIN_WHOLE_MS) * 1e6);
const ORIGIN_NS = BigInt(ORIGIN_WHOLE_MS) * 1_000_000n + BigInt(ORIGIN_FRACTION_NS);

const EPOCH_THRESHOLD_MS = 1e11;

/** Current time in clock units (ms since the process's time origin). */
export const now: () => number = performance.now.bind(performance);

/** Clock units to epoch nanoseconds (exact to the nanosecond the double holds). */
export function epochNanos(t: number): bigint {
  return ORIGIN_NS + BigInt(Math.round(t * 1e6));
}

/** Clock units to epoch microseconds (Zipkin's unit). */
export function epochMicros(t: number): number {
  return Math.round((ORIGIN_MS + t) * 1000);
}

/**
 * Converts the API's TimeInput (epoch ms number, Date, or [seconds, nanos] HrTime as
 * epoch or as performance-relative time) into clock units.
 */
export function fromTimeInput(input: unknown): number {
  if (typeof input === 'number') {
    // The API allows performance.now()-style values too. Epoch ms are > 1e11 since 1973,
    // and no process runs for the 3 years it takes performance.now() to get there. (A
    // test against timeOrigin would misread an epoch time from before the process start.)
    return input > EPOCH_THRESHOLD_MS ? input - ORIGIN_MS : input;
  }
  if (input instanceof Date) return input.getTime() - ORIGIN_MS;
  if (Array.isArray(input) && input.length === 2) {
    const ms = input[0] * 1e3 + input[1] / 1e6;
    return ms > EPOCH_THRESHOLD_MS ? ms - ORIGIN_MS : ms;
  }
  return now();
}
