import { int64Value } from './otlp-proto-decoder';
import { serviceOf, setAttr, type AttrValue, type Attrs, type ViewEvent, type ViewLink, type ViewSpan } from './view-span';

/*
 * Decodes an OTLP/JSON ExportTraceServiceRequest into ViewSpans. OTLP/JSON writes ids as
 * hex (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding), while generic
 * proto3 JSON writes bytes as base64: both are accepted, as are snake_case field names,
 * int64s as strings or numbers, and enums as numbers or names.
 */

/** An OTLP/JSON body that is not an ExportTraceServiceRequest. */
export class OtlpJsonError extends Error {
  override name = 'OtlpJsonError';
}

const MAX_VALUE_DEPTH = 32;
const SPAN_KINDS = ['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER'];
const STATUS_CODES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];

type Obj = Record<string, unknown>;

/** Parses and decodes an OTLP/JSON trace export request; throws on anything else. */
export function decodeJsonTraceRequest(text: string): ViewSpan[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new OtlpJsonError(`not JSON: ${(err as Error).message}`);
  }
  const request = object(parsed, 'request');
  return list(field(request, 'resourceSpans'), 'resourceSpans').flatMap((rs) => resourceSpans(object(rs, 'resourceSpans[]')));
}

function resourceSpans(rs: Obj): ViewSpan[] {
  const resourceObj = optionalObject(field(rs, 'resource'), 'resource');
  const resource = attributes(resourceObj ? field(resourceObj, 'attributes') : undefined);
  const service = serviceOf(resource);
  const groups = [...list(field(rs, 'scopeSpans'), 'scopeSpans'), ...list(field(rs, 'instrumentationLibrarySpans'), 'instrumentationLibrarySpans')];
  return groups.flatMap((g) => {
    const ss = object(g, 'scopeSpans[]');
    const scopeObj = optionalObject(field(ss, 'scope') ?? field(ss, 'instrumentationLibrary'), 'scope');
    const scope = { name: text(scopeObj && field(scopeObj, 'name'), 'scope.name'), version: text(scopeObj && field(scopeObj, 'version'), 'scope.version') };
    return list(field(ss, 'spans'), 'spans').map((s) => ({ ...span(object(s, 'spans[]')), service, resource, scope }));
  });
}

function span(s: Obj): Omit<ViewSpan, 'service' | 'resource' | 'scope'> {
  const st = optionalObject(field(s, 'status'), 'status');
  const links = list(field(s, 'links'), 'links').map((l) => link(object(l, 'links[]')));
  return {
    ...(links.length ? { links } : {}),
    traceId: id(field(s, 'traceId'), 16, 'traceId'),
    spanId: id(field(s, 'spanId'), 8, 'spanId'),
    parentSpanId: id(field(s, 'parentSpanId'), 8, 'parentSpanId'),
    name: text(field(s, 'name'), 'name'),
    kind: enumValue(field(s, 'kind'), SPAN_KINDS, 'kind'),
    startTimeUnixNano: uint64(field(s, 'startTimeUnixNano'), 'startTimeUnixNano'),
    endTimeUnixNano: uint64(field(s, 'endTimeUnixNano'), 'endTimeUnixNano'),
    status: {
      code: st ? enumValue(field(st, 'code'), STATUS_CODES, 'status.code') : 0,
      message: st ? text(field(st, 'message'), 'status.message') : '',
    },
    attributes: attributes(field(s, 'attributes')),
    events: list(field(s, 'events'), 'events').map((e) => event(object(e, 'events[]'))),
  };
}

function event(e: Obj): ViewEvent {
  return {
    name: text(field(e, 'name'), 'event.name'),
    timeUnixNano: uint64(field(e, 'timeUnixNano'), 'event.timeUnixNano'),
    attributes: attributes(field(e, 'attributes')),
  };
}

function link(l: Obj): ViewLink {
  return {
    traceId: id(field(l, 'traceId'), 16, 'link.traceId'),
    spanId: id(field(l, 'spanId'), 8, 'link.spanId'),
    attributes: attributes(field(l, 'attributes')),
  };
}

function attributes(value: unknown, depth = 0): Attrs {
  const attrs: Attrs = {};
  for (const item of list(value, 'attributes')) {
    const kv = object(item, 'attribute');
    setAttr(attrs, text(field(kv, 'key'), 'attribute key'), anyValue(field(kv, 'value'), depth));
  }
  return attrs;
}

function anyValue(value: unknown, depth: number): AttrValue {
  if (depth > MAX_VALUE_DEPTH) throw new OtlpJsonError('attribute values nested too deeply');
  const v = optionalObject(value, 'AnyValue');
  if (!v) return null;
  const str = field(v, 'stringValue');
  if (str !== undefined) return text(str, 'stringValue');
  const bool = field(v, 'boolValue');
  if (bool !== undefined) {
    if (typeof bool !== 'boolean') throw new OtlpJsonError('boolValue must be a boolean');
    return bool;
  }
  const int = field(v, 'intValue');
  if (int !== undefined) return int64Value(integer(int, 'intValue'));
  const dbl = field(v, 'doubleValue');
  if (dbl !== undefined) return double(dbl);
  const arr = field(v, 'arrayValue');
  if (arr !== undefined) {
    const values = field(object(arr, 'arrayValue'), 'values');
    return list(values, 'arrayValue.values').map((item) => anyValue(item, depth + 1));
  }
  const kvlist = field(v, 'kvlistValue');
  if (kvlist !== undefined) return attributes(field(object(kvlist, 'kvlistValue'), 'values'), depth + 1);
  const bytes = field(v, 'bytesValue');
  if (bytes !== undefined) return text(bytes, 'bytesValue');
  return null;
}

/** A field by its lowerCamelCase name, or by its proto (snake_case) name. */
function field(o: Obj, camel: string): unknown {
  if (o[camel] !== undefined) return o[camel];
  const snake = camel.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());
  return o[snake] ?? undefined;
}

function object(v: unknown, what: string): Obj {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new OtlpJsonError(`${what} must be an object`);
  return v as Obj;
}

function optionalObject(v: unknown, what: string): Obj | undefined {
  return v === undefined || v === null ? undefined : object(v, what);
}

function list(v: unknown, what: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new OtlpJsonError(`${what} must be an array`);
  return v;
}

function text(v: unknown, what: string): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new OtlpJsonError(`${what} must be a string`);
  return v;
}

function integer(v: unknown, what: string): bigint {
  if ((typeof v === 'number' && Number.isInteger(v)) || (typeof v === 'string' && /^-?\d+$/.test(v))) return BigInt(v);
  throw new OtlpJsonError(`${what} must be an integer`);
}

function uint64(v: unknown, what: string): string {
  if (v === undefined || v === null) return '0';
  const n = integer(v, what);
  if (n < 0n) throw new OtlpJsonError(`${what} must not be negative`);
  return n.toString();
}

function double(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  throw new OtlpJsonError('doubleValue must be a number');
}

function enumValue(v: unknown, names: readonly string[], what: string): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && names.includes(v)) return names.indexOf(v);
  throw new OtlpJsonError(`${what} must be an enum number or name`);
}

const HEX = /^[0-9a-fA-F]*$/;

/** An id as lowercase hex, from hex (OTLP/JSON) or base64 (proto3 JSON); '' when absent. */
function id(v: unknown, bytes: number, what: string): string {
  const s = text(v, what);
  if (s === '') return '';
  if (s.length === bytes * 2 && HEX.test(s)) return s.toLowerCase();
  const decoded = Buffer.from(s, 'base64');
  if (decoded.length === bytes && /^[A-Za-z0-9+/_-]+=*$/.test(s)) return decoded.toString('hex');
  throw new OtlpJsonError(`${what} must be ${bytes} bytes as hex or base64, got ${JSON.stringify(s.slice(0, 64))}`);
}
