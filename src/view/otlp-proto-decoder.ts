import { ProtoError, ProtoReader, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT } from './protobuf-reader';
import { serviceOf, setAttr, type AttrValue, type Attrs, type ViewEvent, type ViewLink, type ViewSpan } from './view-span';

/*
 * Decodes opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest into ViewSpans.
 * Field numbers: collector/trace/v1/trace_service.proto, trace/v1/trace.proto,
 * common/v1/common.proto, resource/v1/resource.proto. Unknown fields are skipped; a known
 * field with the wrong wire type, or a truncated body, throws a ProtoError.
 */

/** Nesting bound for AnyValue arrays and maps: deeper input is rejected, never a stack overflow. */
const MAX_VALUE_DEPTH = 32;

type SpanDraft = Omit<ViewSpan, 'service' | 'resource' | 'scope'>;
type Scope = ViewSpan['scope'];

/** Decodes an OTLP protobuf trace export request; throws ProtoError on malformed input. */
export function decodeProtoTraceRequest(body: Uint8Array): ViewSpan[] {
  const spans: ViewSpan[] = [];
  const r = new ProtoReader(body);
  while (!r.done) {
    const { field, wire } = r.key();
    if (field === 1) spans.push(...resourceSpans(want(r, wire, WIRE_LEN).message()));
    else r.skip(wire);
  }
  return spans;
}

function want(r: ProtoReader, wire: number, expected: number): ProtoReader {
  if (wire !== expected) throw new ProtoError(`wire type ${wire} where ${expected} was expected`);
  return r;
}

function resourceSpans(r: ProtoReader): ViewSpan[] {
  let resource: Attrs = {};
  const groups: Array<{ scope: Scope; spans: SpanDraft[] }> = [];
  while (!r.done) {
    const { field, wire } = r.key();
    if (field === 1) resource = resourceAttrs(want(r, wire, WIRE_LEN).message());
    // 1000: the pre-1.0 instrumentation_library_spans, laid out like scope_spans.
    else if (field === 2 || field === 1000) groups.push(scopeSpans(want(r, wire, WIRE_LEN).message()));
    else r.skip(wire);
  }
  const service = serviceOf(resource);
  return groups.flatMap((g) => g.spans.map((s) => ({ ...s, service, resource, scope: g.scope })));
}

function resourceAttrs(r: ProtoReader): Attrs {
  const attrs: Attrs = {};
  while (!r.done) {
    const { field, wire } = r.key();
    if (field === 1) keyValue(want(r, wire, WIRE_LEN).message(), attrs, 0);
    else r.skip(wire);
  }
  return attrs;
}

function scopeSpans(r: ProtoReader): { scope: Scope; spans: SpanDraft[] } {
  let scope: Scope = { name: '', version: '' };
  const spans: SpanDraft[] = [];
  while (!r.done) {
    const { field, wire } = r.key();
    if (field === 1) scope = instrumentationScope(want(r, wire, WIRE_LEN).message());
    else if (field === 2) spans.push(span(want(r, wire, WIRE_LEN).message()));
    else r.skip(wire);
  }
  return { scope, spans };
}

function instrumentationScope(r: ProtoReader): Scope {
  const scope = { name: '', version: '' };
  while (!r.done) {
    const { field, wire } = r.key();
    if (field === 1) scope.name = want(r, wire, WIRE_LEN).string();
    else if (field === 2) scope.version = want(r, wire, WIRE_LEN).string();
    else r.skip(wire);
  }
  return scope;
}

function span(r: ProtoReader): SpanDraft {
  const s: SpanDraft = {
    traceId: '',
    spanId: '',
    parentSpanId: '',
    name: '',
    kind: 0,
    startTimeUnixNano: '0',
    endTimeUnixNano: '0',
    status: { code: 0, message: '' },
    attributes: {},
    events: [],
  };
  while (!r.done) {
    const { field, wire } = r.key();
    switch (field) {
      case 1:
        s.traceId = hex(want(r, wire, WIRE_LEN).bytes());
        break;
      case 2:
        s.spanId = hex(want(r, wire, WIRE_LEN).bytes());
        break;
      case 4:
        s.parentSpanId = hex(want(r, wire, WIRE_LEN).bytes());
        break;
      case 5:
        s.name = want(r, wire, WIRE_LEN).string();
        break;
      case 6:
        s.kind = want(r, wire, WIRE_VARINT).varint();
        break;
      case 7:
        s.startTimeUnixNano = want(r, wire, WIRE_FIXED64).fixed64().toString();
        break;
      case 8:
        s.endTimeUnixNano = want(r, wire, WIRE_FIXED64).fixed64().toString();
        break;
      case 9:
        keyValue(want(r, wire, WIRE_LEN).message(), s.attributes, 0);
        break;
      case 11:
        s.events.push(event(want(r, wire, WIRE_LEN).message()));
        break;
      case 13:
        (s.links ??= []).push(link(want(r, wire, WIRE_LEN).message()));
        break;
      case 15:
        s.status = status(want(r, wire, WIRE_LEN).message());
        break;
      default:
        r.skip(wire);
    }
  }
  return s;
}

function event(r: ProtoReader): ViewEvent {
  const e: ViewEvent = { name: '', timeUnixNano: '0', attributes: {} };
  while (!r.done) {
    const { field, wire } = r.key();
    if (field === 1) e.timeUnixNano = want(r, wire, WIRE_FIXED64).fixed64().toString();
    else if (field === 2) e.name = want(r, wire, WIRE_LEN).string();
    else if (field === 3) keyValue(want(r, wire, WIRE_LEN).message(), e.attributes, 0);
    else r.skip(wire);
  }
  return e;
}

function link(r: ProtoReader): ViewLink {
  const l: ViewLink = { traceId: '', spanId: '', attributes: {} };
  while (!r.done) {
    const { field, wire } = r.key();
    if (field === 1) l.traceId = hex(want(r, wire, WIRE_LEN).bytes());
    else if (field === 2) l.spanId = hex(want(r, wire, WIRE_LEN).bytes());
    else if (field === 4) keyValue(want(r, wire, WIRE_LEN).message(), l.attributes, 0);
    else r.skip(wire);
  }
  return l;
}

function status(r: ProtoReader): ViewSpan['status'] {
  const st = { code: 0, message: '' };
  while (!r.done) {
    const { field, wire } = r.key();
    if (field === 2) st.message = want(r, wire, WIRE_LEN).string();
    else if (field === 3) st.code = want(r, wire, WIRE_VARINT).varint();
    else r.skip(wire);
  }
  return st;
}

/** Decodes a KeyValue into `into` (a key without a value is kept as null). */
function keyValue(r: ProtoReader, into: Attrs, depth: number): void {
  let key = '';
  let value: AttrValue = null;
  while (!r.done) {
    const { field, wire } = r.key();
    if (field === 1) key = want(r, wire, WIRE_LEN).string();
    else if (field === 2) value = anyValue(want(r, wire, WIRE_LEN).message(), depth);
    else r.skip(wire);
  }
  setAttr(into, key, value);
}

function anyValue(r: ProtoReader, depth: number): AttrValue {
  if (depth > MAX_VALUE_DEPTH) throw new ProtoError('attribute values nested too deeply');
  let value: AttrValue = null;
  while (!r.done) {
    const { field, wire } = r.key();
    switch (field) {
      case 1:
        value = want(r, wire, WIRE_LEN).string();
        break;
      case 2:
        value = want(r, wire, WIRE_VARINT).varint() !== 0;
        break;
      case 3:
        value = int64Value(want(r, wire, WIRE_VARINT).int64());
        break;
      case 4:
        value = want(r, wire, WIRE_FIXED64).double();
        break;
      case 5:
        value = arrayValue(want(r, wire, WIRE_LEN).message(), depth + 1);
        break;
      case 6:
        value = kvlistValue(want(r, wire, WIRE_LEN).message(), depth + 1);
        break;
      case 7:
        value = Buffer.from(want(r, wire, WIRE_LEN).bytes()).toString('base64');
        break;
      default:
        r.skip(wire);
    }
  }
  return value;
}

function arrayValue(r: ProtoReader, depth: number): AttrValue[] {
  const values: AttrValue[] = [];
  while (!r.done) {
    const { field, wire } = r.key();
    if (field === 1) values.push(anyValue(want(r, wire, WIRE_LEN).message(), depth));
    else r.skip(wire);
  }
  return values;
}

function kvlistValue(r: ProtoReader, depth: number): Attrs {
  const map: Attrs = {};
  while (!r.done) {
    const { field, wire } = r.key();
    if (field === 1) keyValue(want(r, wire, WIRE_LEN).message(), map, depth);
    else r.skip(wire);
  }
  return map;
}

/** An int64 as a number when exact, else as a decimal string. */
export function int64Value(v: bigint): number | string {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
