import { selfTimeNs } from './critical-path';
import { buildTraceTree, mainRoot, walkTree, type SpanNode, type TraceTree } from './trace-tree';
import type { ViewSpan } from './view-span';

/*
 * The tutorial's questions ("Finding Slow Operations"), asked of stored spans:
 * traces slower than a duration, traces with errors, spans of one service, and the
 * spans that take the most time themselves.
 */

/** A span found by a query, with its trace and its own (self) time. */
export interface SpanHit {
  readonly trace: TraceTree;
  readonly node: SpanNode;
  readonly selfNs: number;
}

/** Groups spans into trace trees, earliest trace first. */
export function groupTraces(spans: readonly ViewSpan[]): TraceTree[] {
  const byTrace = new Map<string, ViewSpan[]>();
  for (const s of spans) {
    const list = byTrace.get(s.traceId);
    if (list) list.push(s);
    else byTrace.set(s.traceId, [s]);
  }
  return [...byTrace.values()]
    .map(buildTraceTree)
    .sort((a, b) => compare(a.startUnixNano, b.startUnixNano) || compare(a.traceId, b.traceId));
}

function compare<T extends bigint | string>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A trace's duration: its root span's, else from its first start to its last end. */
export function traceDurationNs(trace: TraceTree): number {
  const root = mainRoot(trace);
  return root && !root.orphan ? root.end - root.start : trace.durationNs;
}

/** Traces that took longer than `ns` (Jaeger's `duration > 1s`). */
export function tracesSlowerThan(traces: readonly TraceTree[], ns: number): TraceTree[] {
  return traces.filter((t) => traceDurationNs(t) > ns);
}

/** Traces with at least one span whose status is ERROR (Jaeger's `error=true`). */
export function tracesWithErrors(traces: readonly TraceTree[]): TraceTree[] {
  return traces.filter((t) => t.errorCount > 0);
}

/** Every span of one service, trace by trace, in tree order. */
export function spansOfService(traces: readonly TraceTree[], service: string): SpanHit[] {
  return allSpans(traces).filter((h) => h.node.span.service === service);
}

/** The `n` spans with the most self time (duration minus time covered by their children). */
export function topSelfTime(hits: readonly SpanHit[], n: number): SpanHit[] {
  return [...hits].sort((a, b) => b.selfNs - a.selfNs).slice(0, Math.max(0, n));
}

/** Every span of the given traces, in tree order. */
export function allSpans(traces: readonly TraceTree[]): SpanHit[] {
  return traces.flatMap((trace) => walkTree(trace).map(({ node }) => ({ trace, node, selfNs: selfTimeNs(node) })));
}
