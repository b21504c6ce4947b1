import type { Attrs, ViewSpan } from '../view-span';

/** The shapes `src/view/web-api.ts` answers with (see docs/viewer.md). */

export interface TraceSummary {
  traceId: string;
  rootService: string;
  rootName: string;
  startTimeUnixNano: string;
  startMs: number;
  durationNs: number;
  spanCount: number;
  services: Array<{ name: string; spanCount: number }>;
  errorCount: number;
  hasRoot: boolean;
}

export interface ServiceInfo {
  name: string;
  spanCount: number;
  operations: string[];
}

export interface StoreStats {
  version: number;
  traces: number;
  spans: number;
  maxSpans: number;
  evictedTraces: number;
  evictedSpans: number;
}

export interface ServiceMap {
  services: Array<{ name: string; spanCount: number; errorCount: number }>;
  calls: Array<{ from: string; to: string; count: number; errorCount: number; errorRate: number; p50Ns: number; p99Ns: number }>;
}

/** An API error, with the server's message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function get<T>(path: string): Promise<T> {
  const res = await fetch(path, { headers: { accept: 'application/json' } });
  const body = (await res.json().catch(() => ({}))) as { data?: T; error?: string };
  if (!res.ok) throw new ApiError(res.status, body.error ?? `HTTP ${res.status}`);
  return body.data as T;
}

export const api = {
  searchTraces: async (params: URLSearchParams): Promise<{ data: TraceSummary[]; total: number }> => {
    const res = await fetch(`/api/traces?${params}`);
    const body = (await res.json().catch(() => ({}))) as { data?: TraceSummary[]; total?: number; error?: string };
    if (!res.ok) throw new ApiError(res.status, body.error ?? `HTTP ${res.status}`);
    return { data: body.data ?? [], total: body.total ?? 0 };
  },
  /** One trace's spans, fetched with each distinct resource sent once and put back on its spans here. */
  trace: async (traceId: string): Promise<{ traceId: string; spans: ViewSpan[] }> => {
    type Compact = Omit<ViewSpan, 'traceId' | 'resource'> & { resource: number };
    const t = await get<{ traceId: string; resources: Attrs[]; spans: Compact[] }>(`/api/traces/${encodeURIComponent(traceId)}?resources=table`);
    const spans = t.spans as unknown as ViewSpan[];
    for (const s of spans) {
      s.traceId = t.traceId;
      s.resource = t.resources[s.resource as unknown as number] ?? {};
    }
    return { traceId: t.traceId, spans };
  },
  traceSummary: (traceId: string) => get<TraceSummary>(`/api/traces/${encodeURIComponent(traceId)}/summary`),
  services: () => get<ServiceInfo[]>('/api/services'),
  serviceMap: () => get<ServiceMap>('/api/dependencies'),
  stats: () => get<StoreStats>('/api/stats'),
};
