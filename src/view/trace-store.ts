import { hasSpanConditions, spanMatcher, wantsErrors, type SpanMatcher, type TraceQuery } from './trace-query';
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

/**
 * A held trace, with what its search line and the search's shortcuts need kept up to date
 * span by span (a span received again makes them recomputed from all the spans).
 */
interface StoredTrace {
  readonly traceId: string;
  readonly spans: Map<string, StoredSpan>;
  first: bigint;
  lastEnd: bigint;
  /** The earliest-starting span without a parent. */
  root: StoredSpan | undefined;
  errors: number;
  /** Span count and earliest start per service. */
  services: Map<string, { count: number; first: bigint }>;
  /** The longest span's duration: a minimum duration above it rules the trace out unread. */
  longestNs: number;
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
        trace = emptyTrace(span.traceId);
        this.#traces.set(span.traceId, trace);
      }
      const old = trace.spans.get(span.spanId);
      const start = unixNanos(span.startTimeUnixNano);
      const end = unixNanos(span.endTimeUnixNano);
      const stored = { span, start, durationNs: end > start ? Number(end - start) : 0 };
      trace.spans.set(span.spanId, stored);
      if (old) {
        this.#countOperation(old.span, -1);
        recount(trace);
      } else {
        this.#spans++;
        count(trace, stored);
      }
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

  /** One trace's search line, or undefined when it is not held. */
  summary(traceId: string): TraceSummary | undefined {
    const t = this.#traces.get(traceId);
    return t ? (t.summary ??= summarize(t)) : undefined;
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
    const matcher = hasSpanConditions(q) ? spanMatcher(q) : undefined;
    const errorsOnly = wantsErrors(q);
    const hits: TraceSummary[] = [];
    for (const t of this.#traces.values()) {
      if (q.service !== undefined && !t.services.has(q.service)) continue;
      if (errorsOnly && t.errors === 0) continue;
      if (q.minDurationNs !== undefined && t.longestNs < q.minDurationNs) continue;
      const summary = (t.summary ??= summarize(t));
      const startMicros = summary.startMs * 1000;
      if (q.startMicros !== undefined && startMicros < q.startMicros) continue;
      if (q.endMicros !== undefined && startMicros > q.endMicros) continue;
      if (matcher && !someSpanMatches(t, matcher)) continue;
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

function someSpanMatches(t: StoredTrace, matches: SpanMatcher): boolean {
  for (const s of t.spans.values()) if (matches(s.span, s.durationNs)) return true;
  return false;
}

function emptyTrace(traceId: string): StoredTrace {
  return { traceId, spans: new Map(), first: -1n, lastEnd: 0n, root: undefined, errors: 0, services: new Map(), longestNs: 0, summary: undefined };
}

/** Adds one new span to the trace's running figures. */
function count(t: StoredTrace, s: StoredSpan): void {
  if (t.first < 0n || s.start < t.first) t.first = s.start;
  const end = s.start + BigInt(s.durationNs);
  if (end > t.lastEnd) t.lastEnd = end;
  if (s.span.parentSpanId === '' && (!t.root || s.start < t.root.start)) t.root = s;
  if (isError(s.span)) t.errors++;
  const svc = t.services.get(s.span.service);
  if (!svc) t.services.set(s.span.service, { count: 1, first: s.start });
  else {
    svc.count++;
    if (s.start < svc.first) svc.first = s.start;
  }
  if (s.durationNs > t.longestNs) t.longestNs = s.durationNs;
}

/** Recomputes the running figures from all the trace's spans (after a span was replaced). */
function recount(t: StoredTrace): void {
  Object.assign(t, { first: -1n, lastEnd: 0n, root: undefined, errors: 0, services: new Map(), longestNs: 0 });
  for (const s of t.spans.values()) count(t, s);
}

/**
 * A trace's search line from its running figures, with the same root and duration as
 * `mainRoot` and `traceDurationNs`: the parentless span; without one, the longest orphan.
 */
function summarize(t: StoredTrace): TraceSummary {
  let main = t.root;
  if (!main) {
    for (const s of t.spans.values()) {
      const parent = s.span.parentSpanId;
      const orphan = parent === s.span.spanId || !t.spans.has(parent);
      if (orphan && (!main || s.durationNs > main.durationNs || (s.durationNs === main.durationNs && s.start < main.start))) main = s;
    }
  }
  const start = t.first < 0n ? 0n : t.first;
  const services = [...t.services].sort((a, b) => (a[1].first < b[1].first ? -1 : a[1].first > b[1].first ? 1 : 0));
  return {
    traceId: t.traceId,
    rootService: main?.span.service ?? '',
    rootName: main?.span.name ?? '',
    startTimeUnixNano: start.toString(),
    startMs: Number(start / 1000n) / 1000,
    durationNs: t.root ? t.root.durationNs : Number(t.lastEnd - start),
    spanCount: t.spans.size,
    services: services.map(([name, v]) => ({ name, spanCount: v.count })),
    errorCount: t.errors,
    hasRoot: t.root !== undefined,
  };
}
