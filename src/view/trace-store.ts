import { hasSpanConditions, spanMatches, type TraceQuery } from './trace-query';
import { unixNanos } from './trace-tree';
import { isError, type ViewSpan } from './view-span';

/*
 * The traces the web UI searches and shows, held in memory as they arrive (a trace is
 * searchable before it is complete). Bounded by a span count: the traces that arrived
 * first are evicted first, whole, and counted.
 */

/** One line of a search result. */
export interface TraceSummary {
  traceId: string;
  /** The root span's (or, without one, the longest orphan's) service and name. */
  rootService: string;
  rootName: string;
  /** Epoch nanoseconds of the earliest span start, as a decimal string (exact). */
  startTimeUnixNano: string;
  /** The same in epoch milliseconds, for plotting. */
  startMs: number;
  /** The root span's duration, else from the first start to the last end. */
  durationNs: number;
  spanCount: number;
  /** Services with their span counts, in order of first appearance. */
  services: Array<{ name: string; spanCount: number }>;
  errorCount: number;
  /** False while the root span has not arrived. */
  hasRoot: boolean;
}

/** Counters of the store, for `/api/stats` and the bound's warning. */
export interface StoreStats {
  /** Increases with every change: the page polls it to refresh without a reload. */
  version: number;
  traces: number;
  spans: number;
  maxSpans: number;
  evictedTraces: number;
  evictedSpans: number;
}

interface StoredSpan {
  readonly span: ViewSpan;
  readonly start: bigint;
  readonly durationNs: number;
}

interface StoredTrace {
  readonly traceId: string;
  readonly spans: Map<string, StoredSpan>;
  summary: TraceSummary | undefined;
}

export const DEFAULT_MAX_SPANS = 1_000_000;

/** The in-memory trace store behind the web UI and its JSON API. */
export class TraceStore {
  readonly #traces = new Map<string, StoredTrace>();
  /** service → operation → span count, kept as spans come and go. */
  readonly #operations = new Map<string, Map<string, number>>();
  readonly #maxSpans: number;
  #spans = 0;
  #version = 0;
  #evictedTraces = 0;
  #evictedSpans = 0;

  constructor(maxSpans = DEFAULT_MAX_SPANS) {
    if (!(maxSpans >= 1)) throw new Error(`the span bound must be at least 1, got ${maxSpans}`);
    this.#maxSpans = maxSpans;
  }

  /** Adds spans (any mix of traces); a span received again replaces its first copy. */
  add(spans: readonly ViewSpan[]): void {
    if (spans.length === 0) return;
    for (const span of spans) {
      let trace = this.#traces.get(span.traceId);
      if (!trace) {
        trace = { traceId: span.traceId, spans: new Map(), summary: undefined };
        this.#traces.set(span.traceId, trace);
      }
      const old = trace.spans.get(span.spanId);
      if (old) this.#countOperation(old.span, -1);
      else this.#spans++;
      const start = unixNanos(span.startTimeUnixNano);
      const end = unixNanos(span.endTimeUnixNano);
      trace.spans.set(span.spanId, { span, start, durationNs: end > start ? Number(end - start) : 0 });
      trace.summary = undefined;
      this.#countOperation(span, 1);
    }
    this.#version++;
    this.#evict();
  }

  get stats(): StoreStats {
    return {
      version: this.#version,
      traces: this.#traces.size,
      spans: this.#spans,
      maxSpans: this.#maxSpans,
      evictedTraces: this.#evictedTraces,
      evictedSpans: this.#evictedSpans,
    };
  }

  /** The spans of one trace, or undefined when it is not held. */
  trace(traceId: string): ViewSpan[] | undefined {
    const t = this.#traces.get(traceId);
    return t ? [...t.spans.values()].map((s) => s.span) : undefined;
  }

  /** Every held trace's spans, oldest trace first. */
  *traces(): IterableIterator<ViewSpan[]> {
    for (const t of this.#traces.values()) yield [...t.spans.values()].map((s) => s.span);
  }

  /** Services with their operations (span names), both sorted. */
  services(): Array<{ name: string; spanCount: number; operations: string[] }> {
    return [...this.#operations]
      .map(([name, ops]) => ({ name, spanCount: [...ops.values()].reduce((a, b) => a + b, 0), operations: [...ops.keys()].sort() }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The traces matching the query, latest start first, at most `limit`; `total` counts all matches. */
  search(q: TraceQuery): { traces: TraceSummary[]; total: number } {
    const spanConditions = hasSpanConditions(q);
    const hits: TraceSummary[] = [];
    for (const t of this.#traces.values()) {
      const summary = (t.summary ??= summarize(t));
      const startMicros = summary.startMs * 1000;
      if (q.startMicros !== undefined && startMicros < q.startMicros) continue;
      if (q.endMicros !== undefined && startMicros > q.endMicros) continue;
      if (spanConditions && !someSpanMatches(t, q)) continue;
      hits.push(summary);
    }
    hits.sort((a, b) => b.startMs - a.startMs || (a.traceId < b.traceId ? -1 : 1));
    return { traces: hits.slice(0, q.limit), total: hits.length };
  }

  #countOperation(span: ViewSpan, delta: number): void {
    let ops = this.#operations.get(span.service);
    if (!ops) this.#operations.set(span.service, (ops = new Map()));
    const n = (ops.get(span.name) ?? 0) + delta;
    if (n > 0) ops.set(span.name, n);
    else {
      ops.delete(span.name);
      if (ops.size === 0) this.#operations.delete(span.service);
    }
  }

  /** Drops the traces that arrived first until the bound holds (a lone trace over it stays). */
  #evict(): void {
    while (this.#spans > this.#maxSpans && this.#traces.size > 1) {
      const [traceId, oldest] = this.#traces.entries().next().value as [string, StoredTrace];
      this.#traces.delete(traceId);
      this.#spans -= oldest.spans.size;
      for (const s of oldest.spans.values()) this.#countOperation(s.span, -1);
      this.#evictedTraces++;
      this.#evictedSpans += oldest.spans.size;
    }
  }
}

function someSpanMatches(t: StoredTrace, q: TraceQuery): boolean {
  for (const s of t.spans.values()) if (spanMatches(s.span, s.durationNs, q)) return true;
  return false;
}

/**
 * A trace's search line, without building its tree: the same root and duration as
 * `mainRoot` and `traceDurationNs` (the parentless span; else the longest orphan).
 */
function summarize(t: StoredTrace): TraceSummary {
  let first: bigint | undefined;
  let root: StoredSpan | undefined;
  let orphan: StoredSpan | undefined;
  let lastEnd = 0n;
  let errorCount = 0;
  const ordered = [...t.spans.values()].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const services = new Map<string, number>();
  for (const s of ordered) {
    if (first === undefined) first = s.start;
    const end = s.start + BigInt(s.durationNs);
    if (end > lastEnd) lastEnd = end;
    if (isError(s.span)) errorCount++;
    services.set(s.span.service, (services.get(s.span.service) ?? 0) + 1);
    const parent = s.span.parentSpanId;
    if (parent === '') root ??= s;
    else if (parent === s.span.spanId || !t.spans.has(parent)) {
      if (!orphan || s.durationNs > orphan.durationNs) orphan = s;
    }
  }
  const main = root ?? orphan ?? ordered[0];
  const start = first ?? 0n;
  return {
    traceId: t.traceId,
    rootService: main?.span.service ?? '',
    rootName: main?.span.name ?? '',
    startTimeUnixNano: start.toString(),
    startMs: Number(start / 1000n) / 1000,
    durationNs: root ? root.durationNs : Number(lastEnd - start),
    spanCount: t.spans.size,
    services: [...services].map(([name, spanCount]) => ({ name, spanCount })),
    errorCount,
    hasRoot: root !== undefined,
  };
}
