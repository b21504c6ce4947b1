/**
 * The viewer's span: one received OTLP span flattened with its service and scope.
 * It is also the line format of `waymark view --out file.jsonl`, so it stays plain JSON:
 * ids are lowercase hex, epoch times are decimal nanosecond strings (they exceed 2^53).
 */

/** An attribute value: OTLP AnyValue as JSON (int64 beyond 2^53 as a decimal string, bytes as base64). */
export type AttrValue = string | number | boolean | null | AttrValue[] | { [key: string]: AttrValue };

/** Attributes by key. */
export type Attrs = Record<string, AttrValue>;

/** A span event. */
export interface ViewEvent {
  name: string;
  timeUnixNano: string;
  attributes: Attrs;
}

/** A link to a span of this or another trace (a batch consumer's producers, a retried request). */
export interface ViewLink {
  traceId: string;
  spanId: string;
  attributes: Attrs;
}

/** One span as the viewer keeps, prints and stores it. */
export interface ViewSpan {
  traceId: string;
  spanId: string;
  /** Empty for a root span. */
  parentSpanId: string;
  name: string;
  /** OTLP SpanKind number: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  /** The resource's service.name. */
  service: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  /** OTLP status: code 0 unset, 1 ok, 2 error. */
  status: { code: number; message: string };
  attributes: Attrs;
  events: ViewEvent[];
  /** Present only when the span has links (older span files have none). */
  links?: ViewLink[];
  resource: Attrs;
  scope: { name: string; version: string };
}

/** OTLP Status.StatusCode.STATUS_CODE_ERROR. */
export const STATUS_ERROR = 2;

/** Names of OTLP span kinds, by number. */
export const SPAN_KIND_NAMES: readonly string[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];

/** The service name a resource declares, or the spec's fallback. */
export function serviceOf(resource: Attrs): string {
  const name = resource['service.name'];
  return typeof name === 'string' && name !== '' ? name : 'unknown_service';
}

/** Sets an attribute; a key such as `__proto__` from the wire stays a plain own property. */
export function setAttr(into: Attrs, key: string, value: AttrValue): void {
  Object.defineProperty(into, key, { value, enumerable: true, writable: true, configurable: true });
}

/** True when the span's status is ERROR. */
export function isError(span: ViewSpan): boolean {
  return span.status.code === STATUS_ERROR;
}
