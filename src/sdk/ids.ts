import { randomFillSync } from 'node:crypto';

/**
 * Trace and span ids from a pooled CSPRNG: one `randomFillSync` of 4 KB serves ~170
 * trace+span id pairs, so the per-id cost is a hex slice (see PERF-FACTS §2) instead
 * of a system call, and ids stay unpredictable (the W3C spec's random trace-id flag
 * and ratio sampling both assume uniform bits).
 */
const POOL_SIZE = 4096;
const pool = Buffer.allocUnsafe(POOL_SIZE);
let offset = POOL_SIZE;

function take(bytes: number): string {
  if (offset + bytes > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const start = offset;
  offset += bytes;
  return pool.toString('hex', start, offset);
}

const ZERO_TRACE = '00000000000000000000000000000000';
const ZERO_SPAN = '0000000000000000';

/** A random 128-bit trace id as 32 lowercase hex chars, never all zero. */
export function newTraceId(): string {
  let id = take(16);
  while (id === ZERO_TRACE) id = take(16);
  return id;
}

/** A random 64-bit span id as 16 lowercase hex chars, never all zero. */
export function newSpanId(): string {
  let id = take(8);
  while (id === ZERO_SPAN) id = take(8);
  return id;
}
