import { describeError, diag } from '../diag';
import { GRPC_TRACE_EXPORT_PATH } from './grpc-wire';
import { HttpSpanExporter } from './http-span-exporter';
import { encodeTraceRequestJson } from './otlp-json-encoder';
import { encodeTraceRequestProto } from './otlp-proto-encoder';
import { ProtoReader } from './proto-reader';
import { ENCODE_SLICE_SPANS, type Resource, type SpanRecord } from './span-record';
import type { TlsSettings } from './tls-options';

/**
 * Options of the OTLP exporter; `url` is the full traces endpoint (…/v1/traces) for
 * OTLP/HTTP and the collector's origin for OTLP/gRPC.
 */
export interface OtlpHttpExporterOptions {
  url: string;
  protocol: 'http/protobuf' | 'http/json' | 'grpc';
  headers: Record<string, string>;
  compression: 'gzip' | 'none';
  timeoutMs: number;
  resource: Resource;
  /** The CA and client certificate files, for an https: endpoint. */
  tls?: TlsSettings | undefined;
}

/** Resolves on the next turn of the event loop, after the I/O that is waiting. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Exports spans over OTLP/HTTP (protobuf or JSON) or OTLP/gRPC (the same protobuf bytes
 * in a unary call); failures are logged, never thrown.
 */
export class OtlpHttpExporter extends HttpSpanExporter {
  readonly #json: boolean;
  readonly #resource: Resource;
  /**
   * Protobuf only (HTTP and gRPC): requests join by concatenation (see encodeInSlices), so
   * the batch span processor may encode spans while they queue. JSON leaves it undefined.
   */
  readonly encodeAhead: ((spans: readonly SpanRecord[]) => Uint8Array) | undefined;

  constructor(options: OtlpHttpExporterOptions) {
    const json = options.protocol === 'http/json';
    super({
      label: 'OTLP',
      url: options.url,
      headers: { 'User-Agent': 'waymark', ...options.headers },
      contentType: json ? 'application/json' : 'application/x-protobuf',
      compression: options.compression,
      timeoutMs: options.timeoutMs,
      grpcPath: options.protocol === 'grpc' ? GRPC_TRACE_EXPORT_PATH : undefined,
      tls: options.tls,
    });
    this.#json = json;
    this.#resource = options.resource;
    this.encodeAhead = json ? undefined : (spans) => encodeTraceRequestProto(this.#resource, spans);
  }

  protected encode(spans: readonly SpanRecord[]): Uint8Array | string {
    return this.#json ? encodeTraceRequestJson(this.#resource, spans) : encodeTraceRequestProto(this.#resource, spans);
  }

  /**
   * Protobuf in slices of ENCODE_SLICE_SPANS spans, yielding to the event loop between
   * them. Two serialized ExportTraceServiceRequests concatenated are one request whose
   * `resource_spans` holds both lists (protobuf merges repeated fields by appending), so
   * the slices are encoded independently and joined; each repeats the resource, a few
   * hundred bytes per slice. JSON has no such property and is encoded whole.
   */
  protected override async encodeInSlices(spans: readonly SpanRecord[]): Promise<Uint8Array | string> {
    if (this.#json || spans.length <= ENCODE_SLICE_SPANS) return this.encode(spans);
    const parts: Uint8Array[] = [];
    for (let i = 0; i < spans.length; i += ENCODE_SLICE_SPANS) {
      if (i > 0) await nextTurn();
      parts.push(encodeTraceRequestProto(this.#resource, spans.slice(i, i + ENCODE_SLICE_SPANS)));
    }
    return Buffer.concat(parts);
  }

  protected override onAccepted(body: Buffer): void {
    if (body.length === 0) return;
    let partial: PartialSuccess | undefined;
    try {
      partial = this.#json ? parsePartialSuccessJson(body) : parsePartialSuccessProto(body);
    } catch (err) {
      diag.debug(`could not parse the OTLP export response: ${describeError(err)}`);
      return;
    }
    if (partial === undefined || (partial.rejectedSpans === 0 && partial.errorMessage === '')) return;
    // OTLP spec: a partial success MUST NOT be retried; it is only reported.
    this.log.warn(
      'partial-success',
      `OTLP collector rejected ${partial.rejectedSpans} spans${partial.errorMessage ? `: ${partial.errorMessage}` : ''}`,
    );
  }
}

/** The ExportTracePartialSuccess part of an export response. */
export interface PartialSuccess {
  rejectedSpans: number;
  errorMessage: string;
}

/** Reads `partialSuccess` from an OTLP/JSON response (rejectedSpans may be a string: int64). */
export function parsePartialSuccessJson(body: Buffer): PartialSuccess | undefined {
  const parsed: unknown = JSON.parse(body.toString('utf8'));
  if (parsed === null || typeof parsed !== 'object') return undefined;
  const partial = (parsed as { partialSuccess?: { rejectedSpans?: unknown; errorMessage?: unknown } }).partialSuccess;
  if (partial === undefined || partial === null) return undefined;
  return {
    rejectedSpans: Number(partial.rejectedSpans ?? 0) || 0,
    errorMessage: typeof partial.errorMessage === 'string' ? partial.errorMessage : '',
  };
}

/**
 * Reads ExportTraceServiceResponse.partial_success (field 1) and within it rejected_spans
 * (1, int64) and error_message (2, string) by hand; every other field is skipped by wire type.
 */
export function parsePartialSuccessProto(body: Uint8Array): PartialSuccess | undefined {
  const outer = new ProtoReader(body);
  let partial: PartialSuccess | undefined;
  while (!outer.done()) {
    const tag = outer.varint();
    if (tag === ((1 << 3) | 2)) {
      const inner = new ProtoReader(outer.bytes());
      partial = { rejectedSpans: 0, errorMessage: '' };
      while (!inner.done()) {
        const innerTag = inner.varint();
        if (innerTag === ((1 << 3) | 0)) partial.rejectedSpans = inner.varint();
        else if (innerTag === ((2 << 3) | 2)) partial.errorMessage = Buffer.from(inner.bytes()).toString('utf8');
        else inner.skip(innerTag & 7);
      }
    } else {
      outer.skip(tag & 7);
    }
  }
  return partial;
}
