import { gzipSync } from 'node:zlib';
import { RateLimitedLog, describeError, diag } from '../diag';
import { withoutTracing } from '../suppress';
import { HttpSender, type SendResult } from './http-sender';
import { encodeTraceRequestJson } from './otlp-json-encoder';
import { encodeTraceRequestProto } from './otlp-proto-encoder';
import type { ExportResult, Resource, SpanExporter, SpanRecord } from './span-record';
import { postSync } from './sync-sender';

/** Options of the OTLP/HTTP exporter; `url` is the full traces endpoint (…/v1/traces). */
export interface OtlpHttpExporterOptions {
  url: string;
  protocol: 'http/protobuf' | 'http/json';
  headers: Record<string, string>;
  compression: 'gzip' | 'none';
  timeoutMs: number;
  resource: Resource;
}

// One line per kind of failure a minute: a collector that is down must not flood stderr.
const LOG_INTERVAL_MS = 60_000;

/** Exports spans over OTLP/HTTP (protobuf or JSON); failures are logged, never thrown. */
export class OtlpHttpExporter implements SpanExporter {
  readonly #url: string;
  readonly #json: boolean;
  readonly #resource: Resource;
  readonly #headers: Record<string, string>;
  readonly #gzip: boolean;
  readonly #timeoutMs: number;
  readonly #sender: HttpSender;
  readonly #log = new RateLimitedLog(LOG_INTERVAL_MS);
  #shutdown = false;

  constructor(options: OtlpHttpExporterOptions) {
    this.#url = options.url;
    this.#json = options.protocol === 'http/json';
    this.#resource = options.resource;
    this.#headers = { 'User-Agent': 'waymark', ...options.headers };
    this.#gzip = options.compression === 'gzip';
    this.#timeoutMs = options.timeoutMs;
    this.#sender = new HttpSender({
      url: options.url,
      headers: this.#headers,
      contentType: this.#json ? 'application/json' : 'application/x-protobuf',
      compression: options.compression,
      timeoutMs: options.timeoutMs,
    });
  }

  async export(spans: readonly SpanRecord[]): Promise<ExportResult> {
    if (this.#shutdown) return { ok: false, error: new Error('exporter is shut down') };
    if (spans.length === 0) return { ok: true };
    try {
      const result = await this.#sender.send(this.#encode(spans));
      if (result.ok) {
        this.#reportPartialSuccess(result.body);
        return { ok: true };
      }
      const error = new Error(failureMessage(result));
      this.#log.warn(failureKey(result), `OTLP export of ${spans.length} spans to ${this.#url} failed: ${error.message}`);
      return { ok: false, error };
    } catch (err) {
      // Encoding bugs or anything unexpected: the batch is lost, the application is not.
      this.#log.warn('unexpected', `OTLP export of ${spans.length} spans failed: ${describeError(err)}`);
      return { ok: false, error: err instanceof Error ? err : new Error(String(err)) };
    }
  }

  /** Blocking export for the `exit` event (see SpanExporter.exportSync): one attempt, no retry. */
  exportSync(spans: readonly SpanRecord[]): boolean {
    if (this.#shutdown) return false;
    if (spans.length === 0) return true;
    try {
      return withoutTracing(() => {
        const encoded = this.#encode(spans);
        const raw = typeof encoded === 'string' ? Buffer.from(encoded, 'utf8') : encoded;
        const headers: Record<string, string> = { ...this.#headers, 'Content-Type': this.#json ? 'application/json' : 'application/x-protobuf' };
        if (this.#gzip) headers['Content-Encoding'] = 'gzip';
        return postSync(this.#url, headers, this.#gzip ? gzipSync(raw, { level: 1 }) : raw, this.#timeoutMs);
      });
    } catch (err) {
      diag.debug(`blocking OTLP export failed: ${describeError(err)}`);
      return false;
    }
  }

  async shutdown(): Promise<void> {
    this.#shutdown = true;
    this.#sender.shutdown();
  }

  #encode(spans: readonly SpanRecord[]): Uint8Array | string {
    return this.#json ? encodeTraceRequestJson(this.#resource, spans) : encodeTraceRequestProto(this.#resource, spans);
  }

  #reportPartialSuccess(body: Buffer): void {
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
    this.#log.warn(
      'partial-success',
      `OTLP collector rejected ${partial.rejectedSpans} spans${partial.errorMessage ? `: ${partial.errorMessage}` : ''}`,
    );
  }
}

function failureMessage(result: SendResult): string {
  const attempts = result.attempts === 1 ? '1 attempt' : `${result.attempts} attempts`;
  if (result.status !== 0) {
    const detail = result.body.length > 0 ? `: ${result.body.subarray(0, 200).toString('utf8')}` : '';
    return `HTTP ${result.status} after ${attempts}${detail}`;
  }
  return `${describeError(result.error)} after ${attempts}`;
}

function failureKey(result: SendResult): string {
  if (result.status !== 0) return `status-${result.status}`;
  return `error-${(result.error as NodeJS.ErrnoException | undefined)?.code ?? 'unknown'}`;
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

/** Just enough of a protobuf reader for a response message; throws on truncated input. */
class ProtoReader {
  readonly #buf: Uint8Array;
  #pos = 0;

  constructor(buf: Uint8Array) {
    this.#buf = buf;
  }

  done(): boolean {
    return this.#pos >= this.#buf.length;
  }

  /** A varint as a number; exact up to 2^53, which covers any count a collector reports. */
  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.#pos >= this.#buf.length) throw new Error('truncated varint');
      const byte = this.#buf[this.#pos++]!;
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 128;
    }
    throw new Error('varint too long');
  }

  bytes(): Uint8Array {
    const len = this.varint();
    if (this.#pos + len > this.#buf.length) throw new Error('truncated field');
    const out = this.#buf.subarray(this.#pos, this.#pos + len);
    this.#pos += len;
    return out;
  }

  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.#advance(8);
    else if (wireType === 2) this.bytes();
    else if (wireType === 5) this.#advance(4);
    else throw new Error(`unsupported wire type ${wireType}`);
  }

  #advance(n: number): void {
    if (this.#pos + n > this.#buf.length) throw new Error('truncated field');
    this.#pos += n;
  }
}
