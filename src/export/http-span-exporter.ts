import type * as zlib from 'node:zlib';
import { RateLimitedLog, describeError, diag } from '../diag';
import { maskUrl } from '../mask';
import { withoutTracing } from '../suppress';
import { GrpcSender } from './grpc-sender';
import { grpcFrame, grpcTimeout } from './grpc-wire';
import { HttpSender } from './http-sender';
import type { RetryingSender, SendResult } from './retrying-sender';
import type { EncodedBatch, ExportResult, SpanExporter, SpanRecord } from './span-record';
import { postSync } from './sync-sender';
import { loadTlsOptions, type TlsConnectOptions, type TlsSettings } from './tls-options';

export interface HttpSpanExporterOptions {
  /** Names the exporter in diagnostics ("OTLP", "Zipkin"). */
  label: string;
  url: string;
  headers: Record<string, string>;
  contentType: string;
  compression: 'gzip' | 'none';
  timeoutMs: number;
  /** Unary gRPC calls to this method path instead of HTTP POSTs (OTLP/gRPC). */
  grpcPath?: string | undefined;
  /** The CA and client certificate files for an https: URL. */
  tls?: TlsSettings | undefined;
}

// One line per kind of failure a minute: a collector that is down must not flood stderr.
const LOG_INTERVAL_MS = 60_000;

/**
 * What every exporter that POSTs encoded batches shares: the sender (retry, timeout,
 * suppression; HTTP/1.1, or gRPC over HTTP/2), rate-limited failure lines, the blocking
 * path for `process.exit()` and shutdown. A subclass only encodes, and may read an
 * accepted response.
 */
export abstract class HttpSpanExporter implements SpanExporter {
  readonly #opts: HttpSpanExporterOptions;
  readonly #sender: RetryingSender;
  readonly #tls: TlsConnectOptions | undefined;
  protected readonly log = new RateLimitedLog(LOG_INTERVAL_MS);
  #shutdown = false;

  constructor(opts: HttpSpanExporterOptions) {
    this.#opts = opts;
    this.#tls = loadTlsOptions(opts.url, opts.tls, opts.label);
    const senderOptions = { ...opts, tls: this.#tls };
    this.#sender = opts.grpcPath === undefined ? new HttpSender(senderOptions) : new GrpcSender({ ...senderOptions, path: opts.grpcPath });
  }

  /** The request body for a batch. */
  protected abstract encode(spans: readonly SpanRecord[]): Uint8Array | string;

  /**
   * The request body for a batch on the asynchronous path. A subclass whose format allows
   * it encodes in slices with the event loop running in between, so a large batch does not
   * hold up the application's requests for the whole encode (that pause is what tail
   * latency sees). The blocking path at exit uses `encode`.
   */
  protected encodeInSlices(spans: readonly SpanRecord[]): Uint8Array | string | Promise<Uint8Array | string> {
    return this.encode(spans);
  }

  /** Called with the body of a 2xx answer (OTLP reads partial_success there). */
  protected onAccepted(_body: Buffer): void {}

  export(spans: readonly SpanRecord[], endBy?: number): Promise<ExportResult> {
    return this.#send(() => this.encodeInSlices(spans), spans.length, endBy);
  }

  /** A body already encoded (SpanExporter.encodeAhead), sent as `export` sends its own. */
  exportEncoded(body: Uint8Array, spanCount: number, endBy?: number): Promise<ExportResult> {
    return this.#send(() => body, spanCount, endBy);
  }

  async #send(encode: () => Uint8Array | string | Promise<Uint8Array | string>, spanCount: number, endBy: number | undefined): Promise<ExportResult> {
    if (this.#shutdown) return { ok: false, error: new Error('exporter is shut down') };
    if (spanCount === 0) return { ok: true };
    const { label, url } = this.#opts;
    try {
      const result = await this.#sender.send(await encode(), endBy);
      if (result.ok) {
        this.onAccepted(result.body);
        return { ok: true };
      }
      const error = new Error(failureMessage(result));
      this.log.warn(failureKey(result), `${label} export of ${spanCount} spans to ${maskUrl(url)} failed: ${error.message}`);
      return { ok: false, error };
    } catch (err) {
      // Encoding bugs or anything unexpected: the batch is lost, the application is not.
      this.log.warn('unexpected', `${label} export of ${spanCount} spans failed: ${describeError(err)}`);
      return { ok: false, error: err instanceof Error ? err : new Error(String(err)) };
    }
  }

  endRetries(): void {
    this.#sender.endRetries();
  }

  /** Blocking export for the `exit` event (see SpanExporter.exportSync): one attempt per batch, no retry. */
  exportSync(batches: ReadonlyArray<readonly SpanRecord[] | EncodedBatch>, timeoutMs: number): number {
    if (this.#shutdown) return 0;
    const { label, url, headers, contentType, compression, grpcPath } = this.#opts;
    try {
      return withoutTracing(() => {
        const gzip = compression === 'gzip';
        let all: Record<string, string>;
        if (grpcPath === undefined) {
          all = { ...headers, 'Content-Type': contentType };
          if (gzip) all['Content-Encoding'] = 'gzip';
        } else {
          const { metadata } = this.#sender as GrpcSender;
          all = { ...metadata, 'content-type': 'application/grpc', te: 'trailers', 'grpc-timeout': grpcTimeout(timeoutMs) };
          if (gzip) all['grpc-encoding'] = 'gzip';
        }
        // zlib only when asked for: it is not loaded at startup.
        const gzipSync = gzip ? (require('node:zlib') as typeof zlib).gzipSync : undefined;
        const bodies = batches.map((batch) => {
          const encoded = 'body' in batch ? batch.body : this.encode(batch);
          const raw = typeof encoded === 'string' ? Buffer.from(encoded, 'utf8') : encoded;
          const body = gzipSync === undefined ? raw : gzipSync(raw, { level: 1 });
          return grpcPath === undefined ? body : grpcFrame(body, gzip);
        });
        return bodies.length === 0 ? 0 : postSync({ url, headers: all, grpcPath, tls: this.#tls?.pem }, bodies, timeoutMs);
      });
    } catch (err) {
      diag.debug(`blocking ${label} export failed: ${describeError(err)}`);
      return 0;
    }
  }

  async shutdown(): Promise<void> {
    this.#shutdown = true;
    this.#sender.shutdown();
  }
}

function failureMessage(result: SendResult): string {
  const attempts = result.attempts === 1 ? '1 attempt' : `${result.attempts} attempts`;
  if (result.label !== undefined) {
    const detail = result.detail === undefined ? '' : `: ${result.detail}`;
    return `${result.label} after ${attempts}${detail}`;
  }
  // One line: OpenSSL's messages end in a newline.
  return `${describeError(result.error).replace(/\s*\n\s*/g, ' ').trim()} after ${attempts}`;
}

function failureKey(result: SendResult): string {
  if (result.label !== undefined) return `status-${result.label}`;
  return `error-${(result.error as NodeJS.ErrnoException | undefined)?.code ?? 'unknown'}`;
}
