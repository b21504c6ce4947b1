import { parseDuration } from './duration';
import { isError, type AttrValue, type ViewSpan } from './view-span';

/*
 * The search of the web UI and of `GET /api/traces`, with Jaeger's meaning: a trace
 * matches when one of its spans has the service, the operation, every tag and a duration
 * in range; the time range and the limit apply to traces.
 */

/** A parsed search. Durations in nanoseconds, times in epoch microseconds (Jaeger's API units). */
export interface TraceQuery {
  service?: string;
  operation?: string;
  /** `error=true` means status ERROR (`error=false`: not ERROR); other keys match span, then resource, attributes. */
  tags: Array<[string, string]>;
  minDurationNs?: number;
  maxDurationNs?: number;
  startMicros?: number;
  endMicros?: number;
  limit: number;
}

/** A search parameter that cannot be understood; the API answers 400 with its message. */
export class QueryError extends Error {
  override name = 'QueryError';
}

export const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 10_000;

/**
 * Reads a search from URL parameters: service, operation, tags (a JSON object, as Jaeger's
 * API sends, or `key=value` pairs separated by spaces; also repeatable `tag=key=value`),
 * minDuration and maxDuration (`1s`, `250ms`), start and end (epoch microseconds), lookback
 * (`1h`: start that long before now), limit.
 */
export function parseTraceQuery(params: URLSearchParams, nowMs = Date.now()): TraceQuery {
  const q: TraceQuery = { tags: [], limit: DEFAULT_LIMIT };
  const service = params.get('service');
  if (service) q.service = service;
  const operation = params.get('operation');
  if (operation) q.operation = operation;
  const tags = params.get('tags');
  if (tags) q.tags.push(...parseTags(tags));
  for (const tag of params.getAll('tag')) q.tags.push(...parseTags(tag));
  q.minDurationNs = duration(params, 'minDuration');
  q.maxDurationNs = duration(params, 'maxDuration');
  q.startMicros = micros(params, 'start');
  q.endMicros = micros(params, 'end');
  const lookback = params.get('lookback');
  if (lookback && lookback !== 'all') {
    const ns = parseDuration(lookback);
    if (ns === undefined) throw new QueryError(`lookback must be a duration such as 1h or 15m, got ${JSON.stringify(lookback)}`);
    q.startMicros = Math.max(q.startMicros ?? 0, nowMs * 1000 - ns / 1000);
  }
  const limit = params.get('limit');
  if (limit) {
    const n = Number(limit);
    if (!Number.isInteger(n) || n < 1) throw new QueryError(`limit must be a positive whole number, got ${JSON.stringify(limit)}`);
    q.limit = Math.min(n, MAX_LIMIT);
  }
  return q;
}

/** `{"error":"true"}` or `error=true http.route=/users/:id` into key/value pairs. */
export function parseTags(text: string): Array<[string, string]> {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let obj: unknown;
    try {
      obj = JSON.parse(trimmed);
    } catch {
      throw new QueryError('tags must be a JSON object or key=value pairs');
    }
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw new QueryError('tags must be a JSON object or key=value pairs');
    return Object.entries(obj).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]);
  }
  return trimmed
    .split(/\s+/)
    .filter((pair) => pair !== '')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new QueryError(`a tag must be key=value, got ${JSON.stringify(pair)}`);
      return [pair.slice(0, eq), pair.slice(eq + 1)];
    });
}

function duration(params: URLSearchParams, name: string): number | undefined {
  const text = params.get(name);
  if (!text) return undefined;
  const ns = parseDuration(text);
  if (ns === undefined) throw new QueryError(`${name} must be a duration such as 1s or 250ms, got ${JSON.stringify(text)}`);
  return ns;
}

function micros(params: URLSearchParams, name: string): number | undefined {
  const text = params.get(name);
  if (!text) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0) throw new QueryError(`${name} must be epoch microseconds, got ${JSON.stringify(text)}`);
  return n;
}

/** True when the query asks anything of single spans (else every trace in the time range matches). */
export function hasSpanConditions(q: TraceQuery): boolean {
  return q.service !== undefined || q.operation !== undefined || q.tags.length > 0 || q.minDurationNs !== undefined || q.maxDurationNs !== undefined;
}

/** A test of one span against the query's span conditions; `durationNs` is the span's. */
export type SpanMatcher = (span: ViewSpan, durationNs: number) => boolean;

/** Compiles the query's span conditions once, so a search over many spans only runs the tests it needs. */
export function spanMatcher(q: TraceQuery): SpanMatcher {
  const tests: SpanMatcher[] = [];
  const { service, operation, minDurationNs: min, maxDurationNs: max } = q;
  if (service !== undefined) tests.push((s) => s.service === service);
  if (operation !== undefined) tests.push((s) => s.name === operation);
  if (min !== undefined) tests.push((_, d) => d >= min);
  if (max !== undefined) tests.push((_, d) => d <= max);
  for (const [key, want] of q.tags) tests.push((s) => tagMatches(s, key, want));
  return (span, durationNs) => {
    for (let i = 0; i < tests.length; i++) if (!tests[i]!(span, durationNs)) return false;
    return true;
  };
}

/** True when the query asks for failed spans only (`error=true`): traces without an error need no look. */
export function wantsErrors(q: TraceQuery): boolean {
  return q.tags.some(([k, v]) => k === 'error' && v === 'true');
}

function tagMatches(span: ViewSpan, key: string, want: string): boolean {
  if (key === 'error') {
    const failed = isError(span);
    return want === 'true' ? failed : want === 'false' ? !failed : false;
  }
  const own = Object.prototype.hasOwnProperty.call(span.attributes, key) ? span.attributes[key] : undefined;
  if (own !== undefined) return valueText(own) === want;
  const res = Object.prototype.hasOwnProperty.call(span.resource, key) ? span.resource[key] : undefined;
  return res !== undefined && valueText(res) === want;
}

function valueText(v: AttrValue): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}
