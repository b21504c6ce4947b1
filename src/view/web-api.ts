import { buildServiceMap, type ServiceMap } from './service-map';
import { parseTraceQuery, QueryError } from './trace-query';
import type { TraceStore } from './trace-store';
import type { Attrs, ViewSpan } from './view-span';

/*
 * The JSON API of the web UI, usable from scripts (documented in docs/viewer-api.md).
 * Every answer is `{ "data": ... }`, or `{ "error": "..." }` with a 4xx status.
 */

/** An API answer before it is written. */
export interface ApiReply {
  status: number;
  body: unknown;
}

const TRACE_ID = /^[0-9a-f]{32}$/;

/** Answers `GET /api/...`; undefined when the path is not an API path. */
export function answerApi(store: TraceStore, path: string, params: URLSearchParams, mapCache: MapCache): ApiReply | undefined {
  if (!path.startsWith('/api/')) return undefined;
  try {
    const parts = path.slice('/api/'.length).split('/').map((p) => decodeURIComponent(p));
    if (parts[0] === 'traces' && parts.length === 1) {
      const q = parseTraceQuery(params);
      const { traces, total } = store.search(q);
      return ok({ data: traces, total, limit: q.limit });
    }
    if (parts[0] === 'traces' && parts.length === 2) {
      const id = parts[1]!.toLowerCase();
      if (!TRACE_ID.test(id)) return fail(400, 'a trace id is 32 hex digits');
      const spans = store.trace(id);
      if (!spans) return fail(404, `trace ${id} is not held (never received, or evicted by --max-spans)`);
      return ok({ data: params.get('resources') === 'table' ? withResourceTable(id, spans) : { traceId: id, spans } });
    }
    if (parts[0] === 'traces' && parts.length === 3 && parts[2] === 'summary') {
      const summary = store.summary(parts[1]!.toLowerCase());
      return summary ? ok({ data: summary }) : fail(404, `trace ${parts[1]} is not held`);
    }
    if (parts[0] === 'services' && parts.length === 1) return ok({ data: store.services() });
    if (parts[0] === 'services' && parts.length === 3 && parts[2] === 'operations') {
      const svc = store.services().find((s) => s.name === parts[1]);
      return ok({ data: svc?.operations ?? [] });
    }
    if (parts[0] === 'dependencies' && parts.length === 1) return ok({ data: mapCache.get(store) });
    if (parts[0] === 'stats' && parts.length === 1) return ok({ data: store.stats });
    return fail(404, `no API at ${path}`);
  } catch (err) {
    if (err instanceof QueryError || err instanceof URIError) return fail(400, err.message);
    throw err;
  }
}

function ok(body: unknown): ApiReply {
  return { status: 200, body };
}

function fail(status: number, error: string): ApiReply {
  return { status, body: { error } };
}

/**
 * A trace with each distinct resource sent once (`?resources=table`, what the page asks
 * for): spans carry the resource's index and no trace id. A service's resource repeats on
 * every one of its spans and is often most of a span's size.
 */
function withResourceTable(traceId: string, spans: readonly ViewSpan[]): { traceId: string; resources: Attrs[]; spans: unknown[] } {
  const resources: Attrs[] = [];
  const byObject = new Map<Attrs, number>();
  const byText = new Map<string, number>();
  const compact = spans.map(({ traceId: _, resource, ...rest }) => {
    let index = byObject.get(resource);
    if (index === undefined) {
      // Spans decoded from one export share their resource object; spans read from a file do not.
      const text = JSON.stringify(resource);
      index = byText.get(text);
      if (index === undefined) {
        index = resources.push(resource) - 1;
        byText.set(text, index);
      }
      byObject.set(resource, index);
    }
    return { ...rest, resource: index };
  });
  return { traceId, resources, spans: compact };
}

/** The service map, rebuilt only when the store changed since it was last asked. */
export class MapCache {
  #version = -1;
  #map: ServiceMap = { services: [], calls: [] };

  get(store: TraceStore): ServiceMap {
    const { version } = store.stats;
    if (version !== this.#version) {
      this.#map = buildServiceMap(store.traces());
      this.#version = version;
    }
    return this.#map;
  }
}
