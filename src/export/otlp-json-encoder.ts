import type { AttributeValue, Attributes } from '@opentelemetry/api';
import { epochNanos } from '../clock';
import type { InstrumentationScope, Resource, SpanEventRecord, SpanLinkRecord, SpanRecord } from './span-record';

/*
 * OTLP/HTTP JSON encoding of ExportTraceServiceRequest. The OTLP spec departs from the
 * proto3 JSON mapping in two ways we rely on: trace and span ids are hex strings (not
 * base64), and enums are integers. Field names are lowerCamelCase; 64-bit integers
 * (times, intValue) are decimal strings so no precision is lost in JavaScript readers.
 * https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding
 * Zero, empty and absent fields are omitted, as the protobuf encoding does.
 */

interface JsonAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string;
  doubleValue?: number | string;
  arrayValue?: { values: JsonAnyValue[] };
}

interface JsonKeyValue {
  key: string;
  value: JsonAnyValue;
}

const HAS_IS_REMOTE = 0x100;
const IS_REMOTE = 0x200;

const resourceJsonCache = new WeakMap<Resource, string>();
const scopeCache = new WeakMap<InstrumentationScope, { key: string; json: string }>();

/** Encodes spans as an OTLP/JSON ExportTraceServiceRequest. */
export function encodeTraceRequestJson(resource: Resource, spans: readonly SpanRecord[]): string {
  // Each scope's spans are stringified separately and joined around the cached resource
  // and scope fragments, so what repeats is serialized once.
  const order: string[] = [];
  const groups = new Map<string, { scopeJson: string; spans: object[] }>();
  for (const span of spans) {
    const scope = scopeJson(span.scope);
    let group = groups.get(scope.key);
    if (group === undefined) {
      group = { scopeJson: scope.json, spans: [] };
      groups.set(scope.key, group);
      order.push(scope.key);
    }
    group.spans.push(spanJson(span));
  }
  const scopeSpans = order.map((key) => {
    const group = groups.get(key)!;
    return `{${group.scopeJson},"spans":${JSON.stringify(group.spans)}}`;
  });
  return `{"resourceSpans":[{"resource":${resourceJson(resource)},"scopeSpans":[${scopeSpans.join(',')}]}]}`;
}

function resourceJson(resource: Resource): string {
  let json = resourceJsonCache.get(resource);
  if (json === undefined) {
    json = JSON.stringify({ attributes: attributesJson(resource.attributes) });
    resourceJsonCache.set(resource, json);
  }
  return json;
}

/** The `"scope":{…}` member (plus `"schemaUrl"` when set) of a ScopeSpans object. */
function scopeJson(scope: InstrumentationScope): { key: string; json: string } {
  let cached = scopeCache.get(scope);
  if (cached === undefined) {
    const scopeObject: { name: string; version?: string } = { name: scope.name };
    if (scope.version) scopeObject.version = scope.version;
    let json = `"scope":${JSON.stringify(scopeObject)}`;
    if (scope.schemaUrl) json += `,"schemaUrl":${JSON.stringify(scope.schemaUrl)}`;
    cached = { key: `${scope.name}\u0000${scope.version ?? ''}\u0000${scope.schemaUrl ?? ''}`, json };
    scopeCache.set(scope, cached);
  }
  return cached;
}

function nanos(t: number): string {
  // BigInt() throws on NaN: a span without a valid time reports zero rather than failing the batch.
  return Number.isFinite(t) ? epochNanos(t).toString() : '0';
}

function spanJson(span: SpanRecord): object {
  const out: Record<string, unknown> = { traceId: span.traceId, spanId: span.spanId };
  if (span.traceState) out.traceState = span.traceState;
  if (span.parentSpanId) out.parentSpanId = span.parentSpanId;
  let flags = span.traceFlags & 0xff;
  // trace.proto SpanFlags bits 8-9: the parent's remoteness, only when there is a parent and it is known.
  if (span.parentSpanId && span.parentIsRemote !== undefined) flags |= HAS_IS_REMOTE | (span.parentIsRemote ? IS_REMOTE : 0);
  if (flags !== 0) out.flags = flags;
  out.name = span.name;
  // API SpanKind is INTERNAL=0..CONSUMER=4; the proto reserves 0 for UNSPECIFIED.
  out.kind = span.kind >= 0 && span.kind <= 4 ? span.kind + 1 : 1;
  out.startTimeUnixNano = nanos(span.startTime);
  out.endTimeUnixNano = nanos(span.endTime);
  const attributes = attributesJson(span.attributes);
  if (attributes.length > 0) out.attributes = attributes;
  if (span.droppedAttributesCount > 0) out.droppedAttributesCount = span.droppedAttributesCount;
  if (span.events.length > 0) out.events = span.events.map(eventJson);
  if (span.droppedEventsCount > 0) out.droppedEventsCount = span.droppedEventsCount;
  if (span.links.length > 0) out.links = span.links.map(linkJson);
  if (span.droppedLinksCount > 0) out.droppedLinksCount = span.droppedLinksCount;
  if (span.status.code !== 0 || span.status.message) {
    const status: { message?: string; code?: number } = {};
    if (span.status.message) status.message = span.status.message;
    if (span.status.code !== 0) status.code = span.status.code;
    out.status = status;
  }
  return out;
}

function eventJson(event: SpanEventRecord): object {
  const out: Record<string, unknown> = { timeUnixNano: nanos(event.time), name: event.name };
  const attributes = attributesJson(event.attributes);
  if (attributes.length > 0) out.attributes = attributes;
  if (event.droppedAttributesCount > 0) out.droppedAttributesCount = event.droppedAttributesCount;
  return out;
}

function linkJson(link: SpanLinkRecord): object {
  const out: Record<string, unknown> = { traceId: link.traceId, spanId: link.spanId };
  if (link.traceState) out.traceState = link.traceState;
  const attributes = attributesJson(link.attributes);
  if (attributes.length > 0) out.attributes = attributes;
  if (link.droppedAttributesCount > 0) out.droppedAttributesCount = link.droppedAttributesCount;
  // The link record carries no remoteness, so bits 8-9 stay clear ("unknown").
  if ((link.traceFlags & 0xff) !== 0) out.flags = link.traceFlags & 0xff;
  return out;
}

function attributesJson(attrs: Attributes | undefined): JsonKeyValue[] {
  const out: JsonKeyValue[] = [];
  if (attrs === undefined) return out;
  for (const key in attrs) {
    const value = anyValueJson(attrs[key]);
    if (value !== undefined) out.push({ key, value });
  }
  return out;
}

/** An AnyValue, or undefined for what has no representation (the attribute is then left out). */
function anyValueJson(value: AttributeValue | null | undefined): JsonAnyValue | undefined {
  switch (typeof value) {
    case 'string':
      return { stringValue: value };
    case 'boolean':
      return { boolValue: value };
    case 'number':
      if (Number.isSafeInteger(value)) return { intValue: String(value) };
      // JSON has no NaN or Infinity; the proto3 JSON mapping spells them as strings.
      return { doubleValue: Number.isFinite(value) ? value : String(value) };
    case 'object':
      if (Array.isArray(value)) {
        // A null member stays as an empty AnyValue so positions are kept.
        return { arrayValue: { values: value.map((item: AttributeValue | null | undefined) => anyValueJson(item) ?? {}) } };
      }
      return undefined;
    default:
      return undefined;
  }
}
