import { unixNanos } from './trace-tree';
import { isError, type ViewSpan } from './view-span';

/*
 * The service map: which service calls which, from the parent/child edges of spans that
 * cross a service boundary (the gateway's client span → the users server span), with
 * each edge's call count, error rate and the called span's latency percentiles.
 */

/** A service on the map. */
export interface MapService {
  name: string;
  spanCount: number;
  errorCount: number;
}

/** Calls from one service to another. */
export interface MapCall {
  from: string;
  to: string;
  count: number;
  errorCount: number;
  /** errorCount / count. */
  errorRate: number;
  /** Percentiles of the called (child) span's duration, nanoseconds (nearest rank). */
  p50Ns: number;
  p99Ns: number;
}

export interface ServiceMap {
  services: MapService[];
  calls: MapCall[];
}

/** Builds the service map of the given traces (each one trace's spans). */
export function buildServiceMap(traces: Iterable<readonly ViewSpan[]>): ServiceMap {
  const services = new Map<string, MapService>();
  const edges = new Map<string, { from: string; to: string; errors: number; durations: number[] }>();
  for (const spans of traces) {
    const byId = new Map<string, ViewSpan>();
    for (const s of spans) byId.set(s.spanId, s);
    for (const s of byId.values()) {
      let svc = services.get(s.service);
      if (!svc) services.set(s.service, (svc = { name: s.service, spanCount: 0, errorCount: 0 }));
      svc.spanCount++;
      if (isError(s)) svc.errorCount++;
      const parent = s.parentSpanId ? byId.get(s.parentSpanId) : undefined;
      if (!parent || parent.service === s.service) continue;
      // The pair as JSON: unambiguous whatever the names contain.
      const key = JSON.stringify([parent.service, s.service]);
      let edge = edges.get(key);
      if (!edge) edges.set(key, (edge = { from: parent.service, to: s.service, errors: 0, durations: [] }));
      if (isError(s)) edge.errors++;
      const start = unixNanos(s.startTimeUnixNano);
      const end = unixNanos(s.endTimeUnixNano);
      edge.durations.push(end > start ? Number(end - start) : 0);
    }
  }
  const calls = [...edges.values()].map((e) => {
    const sorted = e.durations.sort((a, b) => a - b);
    return {
      from: e.from,
      to: e.to,
      count: sorted.length,
      errorCount: e.errors,
      errorRate: e.errors / sorted.length,
      p50Ns: percentile(sorted, 0.5),
      p99Ns: percentile(sorted, 0.99),
    };
  });
  const byName = (a: { name: string }, b: { name: string }): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  calls.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
  return { services: [...services.values()].sort(byName), calls };
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}
