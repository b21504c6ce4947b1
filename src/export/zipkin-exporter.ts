import { SpanKind, SpanStatusCode, type AttributeValue, type Attributes } from '@opentelemetry/api';
import { isIPv4, isIPv6 } from 'node:net';
import { epochMicros } from '../clock';
import { HttpSpanExporter } from './http-span-exporter';
import type { Resource, SpanRecord } from './span-record';

/*
 * Zipkin v2 JSON (openzipkin/zipkin-api zipkin2-api.yaml), mapped from OpenTelemetry as
 * the OpenTelemetry spec describes (specification/trace/sdk_exporters/zipkin.md):
 * attributes, status, dropped counts and scope become string tags; events become
 * annotations; INTERNAL spans carry no kind; absent or empty fields are omitted.
 */

/** Options of the Zipkin exporter; `url` is the full spans endpoint (…/api/v2/spans). */
export interface ZipkinExporterOptions {
  url: string;
  headers: Record<string, string>;
  timeoutMs: number;
  serviceName: string;
  resource: Resource;
}

/** A Zipkin v2 Endpoint. */
export interface ZipkinEndpoint {
  serviceName?: string;
  ipv4?: string;
  ipv6?: string;
  port?: number;
}

/** A Zipkin v2 Span, as the JSON API defines it. */
export interface ZipkinSpan {
  traceId: string;
  id: string;
  parentId?: string;
  name: string;
  kind?: 'CLIENT' | 'SERVER' | 'PRODUCER' | 'CONSUMER';
  timestamp: number;
  duration: number;
  localEndpoint: ZipkinEndpoint;
  remoteEndpoint?: ZipkinEndpoint;
  annotations?: Array<{ timestamp: number; value: string }>;
  tags?: Record<string, string>;
}

const KIND: Record<number, ZipkinSpan['kind']> = {
  [SpanKind.CLIENT]: 'CLIENT',
  [SpanKind.SERVER]: 'SERVER',
  [SpanKind.PRODUCER]: 'PRODUCER',
  [SpanKind.CONSUMER]: 'CONSUMER',
};

/** Exports spans to a Zipkin collector as v2 JSON; failures are logged, never thrown. */
export class ZipkinExporter extends HttpSpanExporter {
  readonly #serviceName: string;
  readonly #resourceTags: Record<string, string>;

  constructor(options: ZipkinExporterOptions) {
    super({
      label: 'Zipkin',
      url: options.url,
      headers: options.headers,
      contentType: 'application/json',
      compression: 'none',
      timeoutMs: options.timeoutMs,
    });
    const fromResource = options.resource.attributes['service.name'];
    this.#serviceName = options.serviceName || (typeof fromResource === 'string' ? fromResource : 'unknown_service');
    this.#resourceTags = resourceTags(options.resource);
  }

  protected encode(spans: readonly SpanRecord[]): string {
    return JSON.stringify(spans.map((span) => toZipkinSpan(span, this.#serviceName, this.#resourceTags)));
  }
}

/**
 * Resource attributes other than service.name (which is the local endpoint) as tags: Zipkin
 * has no resource, and the spec wants e.g. service.namespace sent as a tag.
 */
function resourceTags(resource: Resource): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const key in resource.attributes) {
    if (key === 'service.name') continue;
    const value = tagValue(resource.attributes[key]);
    if (value !== undefined) tags[key] = value;
  }
  return tags;
}

/** Converts one span to the Zipkin v2 model. */
export function toZipkinSpan(span: SpanRecord, serviceName: string, resourceTagsToAdd: Record<string, string> = {}): ZipkinSpan {
  const timestamp = epochMicros(span.startTime);
  const out: ZipkinSpan = {
    traceId: span.traceId,
    id: span.spanId,
    // zipkin2-api.yaml: the name is "the logical operation this span represents in lowercase";
    // Zipkin itself lowercases names and service names on ingest.
    name: span.name.toLowerCase(),
    timestamp,
    // Whole microseconds, at least one: "Durations of less than one are rounded up".
    duration: Math.max(1, epochMicros(span.endTime) - timestamp),
    localEndpoint: { serviceName: serviceName.toLowerCase() },
  };
  if (span.parentSpanId) out.parentId = span.parentSpanId;
  const kind = KIND[span.kind];
  if (kind !== undefined) out.kind = kind;
  // Not `shared`: in Zipkin it marks a server half that reuses its client's span id (B3
  // single-span RPC). Our SERVER spans always get their own id, and Zipkin's tree builder
  // would look for a parent under that id and leave the span orphaned.
  const remote = remoteEndpoint(span);
  if (remote !== undefined) out.remoteEndpoint = remote;
  if (span.events.length > 0) {
    out.annotations = span.events.map((event) => ({ timestamp: epochMicros(event.time), value: annotationValue(event.name, event.attributes) }));
  }
  const tags = spanTags(span, resourceTagsToAdd);
  if (tags !== undefined) out.tags = tags;
  return out;
}

/** Spec, "Events": the name, plus the attributes as a JSON object when there are any. */
function annotationValue(name: string, attributes: Attributes | undefined): string {
  if (attributes === undefined || Object.keys(attributes).length === 0) return name;
  return `${JSON.stringify(name)}:${JSON.stringify(attributes)}`;
}

function spanTags(span: SpanRecord, resourceTagsToAdd: Record<string, string>): Record<string, string> | undefined {
  const tags: Record<string, string> = { ...resourceTagsToAdd };
  for (const key in span.attributes) {
    const value = tagValue(span.attributes[key]);
    if (value !== undefined) tags[key] = value;
  }
  // Zipkin treats any span with an `error` tag as failed, so a false one would lie.
  if (tags.error === 'false') delete tags.error;
  if (span.status.code === SpanStatusCode.OK) {
    tags['otel.status_code'] = 'OK';
    delete tags.error;
  } else if (span.status.code === SpanStatusCode.ERROR) {
    tags['otel.status_code'] = 'ERROR';
    tags.error = span.status.message ?? '';
  }
  if (span.droppedAttributesCount > 0) tags['otel.dropped_attributes_count'] = String(span.droppedAttributesCount);
  if (span.droppedEventsCount > 0) tags['otel.dropped_events_count'] = String(span.droppedEventsCount);
  if (span.droppedLinksCount > 0) tags['otel.dropped_links_count'] = String(span.droppedLinksCount);
  tags['otel.scope.name'] = span.scope.name;
  if (span.scope.version) tags['otel.scope.version'] = span.scope.version;
  return Object.keys(tags).length > 0 ? tags : undefined;
}

/** Spec, "Attribute": primitives as strings (booleans lowercase), arrays as a JSON list. */
function tagValue(value: AttributeValue | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return JSON.stringify(value);
  return String(value);
}

/**
 * The other side of the connection, from semantic-convention attributes: for CLIENT and
 * PRODUCER the server or broker (peer.service, else server.address, is its name); for
 * SERVER and CONSUMER the peer that connected. Addresses go to ipv4/ipv6 only when they
 * are IP literals, as the Endpoint definition requires.
 */
function remoteEndpoint(span: SpanRecord): ZipkinEndpoint | undefined {
  if (span.kind === SpanKind.INTERNAL) return undefined;
  const a = span.attributes;
  const outbound = span.kind === SpanKind.CLIENT || span.kind === SpanKind.PRODUCER;
  const endpoint: ZipkinEndpoint = {};
  const serverAddress = str(a['server.address']);
  const peerAddress = str(a['network.peer.address']) ?? (outbound ? undefined : str(a['client.address']));

  let name = str(a['peer.service']);
  if (name === undefined && outbound && serverAddress !== undefined && !isIPv4(serverAddress) && !isIPv6(serverAddress)) name = serverAddress;
  if (name !== undefined) endpoint.serviceName = name.toLowerCase();

  const ip = peerAddress ?? (outbound ? serverAddress : undefined);
  if (ip !== undefined && isIPv4(ip)) endpoint.ipv4 = ip;
  else if (ip !== undefined && isIPv6(ip)) endpoint.ipv6 = ip;

  const port = num(a['network.peer.port']) ?? (outbound ? num(a['server.port']) : num(a['client.port']));
  if (port !== undefined && Number.isInteger(port) && port > 0 && port < 65536) endpoint.port = port;

  return Object.keys(endpoint).length > 0 ? endpoint : undefined;
}

function str(v: AttributeValue | undefined): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

function num(v: AttributeValue | undefined): number | undefined {
  return typeof v === 'number' ? v : undefined;
}
