import type * as crypto from 'node:crypto';

/**
 * Ids from a pooled CSPRNG, kept as 32-bit words until someone needs hex.
 *
 * Every bit of an id we make comes from `crypto.randomFillSync` (the operating system's
 * cryptographically secure generator), so a trace id we generate is uniformly random over
 * all 128 bits, more than the right-most 7 bytes W3C Trace Context Level 2 asks of the
 * `random` trace flag ("Random Trace ID Flag"); we set that flag on every trace we start.
 *
 * One `randomFillSync` of 16 KB serves ~680 spans, so an id costs two array reads instead
 * of a system call (~3.4 µs per id with `crypto.randomBytes`; the fill costs 2.7 ns per word
 * for 4 KB, 1.2 ns for 16 KB, where the per-call overhead stops dominating). Most spans
 * (leaf spans: queries, outbound calls) never need their ids as hex before export, and
 * export writes bytes from the words directly, so the hex conversion (~150 ns per id) is
 * done lazily, at most once, and often never.
 */
const WORDS = 4096;
const pool = new Uint32Array(WORDS);
let next = WORDS;

/** A uniformly random 32-bit unsigned word from the pool. */
let fill: typeof crypto.randomFillSync | undefined;

export function randomWord(): number {
  if (next === WORDS) {
    // node:crypto is loaded on the first span, not at startup (it costs milliseconds).
    fill ??= (require('node:crypto') as typeof crypto).randomFillSync;
    fill(pool);
    next = 0;
  }
  return pool[next++]!;
}

const scratch = Buffer.allocUnsafe(16);

/** Two words as 16 lowercase hex chars. */
export function hex64(hi: number, lo: number): string {
  scratch.writeUInt32BE(hi, 0);
  scratch.writeUInt32BE(lo, 4);
  return scratch.toString('hex', 0, 8);
}

/** Four words as 32 lowercase hex chars. */
function hex128(w0: number, w1: number, w2: number, w3: number): string {
  scratch.writeUInt32BE(w0, 0);
  scratch.writeUInt32BE(w1, 4);
  scratch.writeUInt32BE(w2, 8);
  scratch.writeUInt32BE(w3, 12);
  return scratch.toString('hex', 0, 16);
}

/** The 32-bit word of the 8 hex digits at `at`. */
function hexWordAt(hex: string, at: number): number {
  return parseInt(hex.slice(at, at + 8), 16);
}

/** W3C Trace Context Level 2 trace flag: at least the right-most 7 bytes of the trace id are random. */
export const RANDOM_TRACE_FLAG = 0x02;

/**
 * A trace id, shared by reference by every span of the trace in this process. Either made
 * here (words, hex on demand) or continued from a remote parent (hex as received).
 */
export class TraceId {
  #hex: string | undefined;
  w0 = 0;
  w1 = 0;
  w2 = 0;
  w3 = 0;
  /**
   * {@link RANDOM_TRACE_FLAG} or 0: part of every span's trace flags in this trace. Set on
   * ids made here; a continued trace keeps what its parent said, so it is never set on a
   * trace we did not start and never lost from one that had it ("Random Trace ID Flag").
   * Samplers read it to know whether the id's low 56 bits may serve as randomness.
   */
  randomFlag = 0;

  /** A new random trace id (never all zero), flagged random. */
  static random(): TraceId {
    const id = new TraceId();
    id.randomFlag = RANDOM_TRACE_FLAG;
    do {
      id.w0 = randomWord();
      id.w1 = randomWord();
      id.w2 = randomWord();
      id.w3 = randomWord();
    } while ((id.w0 | id.w1 | id.w2 | id.w3) === 0);
    return id;
  }

  /**
   * A trace id received as 32 lowercase hex chars (already validated by the caller), with
   * the trace flags it came with (only the random bit is kept).
   */
  static fromHex(hex: string, traceFlags: number): TraceId {
    return TraceId.fromWords(hex, hexWordAt(hex, 0), hexWordAt(hex, 8), hexWordAt(hex, 16), hexWordAt(hex, 24), traceFlags);
  }

  /** A trace id received as hex whose words the caller already read (while validating it). */
  static fromWords(hex: string, w0: number, w1: number, w2: number, w3: number, traceFlags: number): TraceId {
    const id = new TraceId();
    id.#hex = hex;
    id.randomFlag = traceFlags & RANDOM_TRACE_FLAG;
    id.w0 = w0;
    id.w1 = w1;
    id.w2 = w2;
    id.w3 = w3;
    return id;
  }

  get hex(): string {
    return (this.#hex ??= hex128(this.w0, this.w1, this.w2, this.w3));
  }
}

/** A random 64-bit span id as two words (never both zero). */
export function randomSpanWords(out: { s0: number; s1: number }): void {
  do {
    out.s0 = randomWord();
    out.s1 = randomWord();
  } while ((out.s0 | out.s1) === 0);
}
