import type { ViewSpan } from './view-span';

/** When a trace counts as complete, and how much is held meanwhile. */
export interface AssemblerOptions {
  /**
   * A trace is complete once no span arrived for it for this long (ms), its root is in, and
   * every message it published (PRODUCER span) has a span under it.
   */
  quietMs: number;
  /**
   * ...or, without a root or with a message not yet consumed, once this long (ms) passed
   * since its first span arrived. A consumer in another process exports on its own
   * schedule (the batch delay, 5 s by default), often well after the quiet period.
   */
  maxWaitMs: number;
  /** Traces held at once; beyond it the oldest is released early. */
  maxTraces: number;
  /** Spans held per trace; beyond it the trace is released early. */
  maxSpansPerTrace: number;
}

/** Defaults for a development viewer: print a second after the last span. */
export const DEFAULT_ASSEMBLER_OPTIONS: AssemblerOptions = { quietMs: 1000, maxWaitMs: 10_000, maxTraces: 10_000, maxSpansPerTrace: 10_000 };

/** OTLP SpanKind PRODUCER. */
const KIND_PRODUCER = 4;

interface Pending {
  spans: ViewSpan[];
  firstSeen: number;
  lastSeen: number;
  hasRoot: boolean;
  /** PRODUCER spans with no span under them yet, by span id (made on the first one). */
  unconsumed: Set<string> | undefined;
  /** Parent span ids seen, for a consumer that arrives before its producer (made with `unconsumed`). */
  parents: Set<string> | undefined;
}

/**
 * Groups arriving spans by trace and releases each trace once it is complete. Time is
 * passed in (`now`, in ms), so the policy is testable without timers.
 */
export class TraceAssembler {
  readonly #opts: AssemblerOptions;
  readonly #pending = new Map<string, Pending>();
  #released: ViewSpan[][] = [];

  constructor(opts: Partial<AssemblerOptions> = {}) {
    this.#opts = { ...DEFAULT_ASSEMBLER_OPTIONS, ...opts };
  }

  /** Traces currently held. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /** Adds received spans (any mix of traces). */
  add(spans: readonly ViewSpan[], now: number): void {
    for (const span of spans) {
      let entry = this.#pending.get(span.traceId);
      if (!entry) {
        if (this.#pending.size >= this.#opts.maxTraces) this.#releaseOldest();
        entry = { spans: [], firstSeen: now, lastSeen: now, hasRoot: false, unconsumed: undefined, parents: undefined };
        this.#pending.set(span.traceId, entry);
      }
      entry.spans.push(span);
      entry.lastSeen = now;
      if (span.parentSpanId === '') entry.hasRoot = true;
      else trackConsumer(entry, span.parentSpanId);
      if (span.kind === KIND_PRODUCER) trackProducer(entry, span.spanId);
      if (entry.spans.length >= this.#opts.maxSpansPerTrace) this.#release(span.traceId, entry);
    }
  }

  /** Removes and returns the traces complete at `now`, oldest first. */
  takeComplete(now: number): ViewSpan[][] {
    for (const [traceId, entry] of this.#pending) {
      const quiet = now - entry.lastSeen >= this.#opts.quietMs;
      const whole = entry.hasRoot && (entry.unconsumed === undefined || entry.unconsumed.size === 0);
      if (quiet && (whole || now - entry.firstSeen >= this.#opts.maxWaitMs)) this.#release(traceId, entry);
    }
    return this.#drain();
  }

  /** Removes and returns every held trace, complete or not (shutdown). */
  takeAll(): ViewSpan[][] {
    for (const [traceId, entry] of this.#pending) this.#release(traceId, entry);
    return this.#drain();
  }

  #release(traceId: string, entry: Pending): void {
    this.#pending.delete(traceId);
    this.#released.push(entry.spans);
  }

  #releaseOldest(): void {
    const first = this.#pending.entries().next();
    if (!first.done) this.#release(first.value[0], first.value[1]);
  }

  #drain(): ViewSpan[][] {
    const out = this.#released;
    this.#released = [];
    return out;
  }
}

/**
 * Spans of a trace arrive in any order: a producer's consumer may come first. Both sets
 * exist only in traces that published a message (made at the first PRODUCER span, from the
 * spans held by then) and are bounded by the spans held.
 */
function trackProducer(entry: Pending, spanId: string): void {
  if (entry.parents === undefined) {
    entry.parents = new Set();
    entry.unconsumed = new Set();
    for (const s of entry.spans) if (s.parentSpanId !== '') entry.parents.add(s.parentSpanId);
  }
  if (!entry.parents.has(spanId)) entry.unconsumed!.add(spanId);
}

function trackConsumer(entry: Pending, parentSpanId: string): void {
  if (entry.parents === undefined) return;
  entry.parents.add(parentSpanId);
  entry.unconsumed!.delete(parentSpanId);
}
