import type * as zlib from 'node:zlib';
import { diag } from '../diag';
import { withoutTracing } from '../suppress';
import { Http1Client } from './http1-client';

// zlib is loaded only when the configuration asks for gzip, to keep startup cheap.
let gzipFn: typeof zlib.gzip | undefined;
function gzip(...args: Parameters<typeof zlib.gzip>): void {
  gzipFn ??= (require('node:zlib') as typeof zlib).gzip;
  gzipFn(...args);
}

/** Statuses worth another attempt (OTLP/HTTP spec: "retryable response codes"). */
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

/** Socket-level failures that a later attempt may not see. */
const RETRYABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
]);

// A collector's error page is worth a log line, not megabytes of memory.
const MAX_RESPONSE_BYTES = 64 * 1024;

// Level 1 costs about 40% of the default level's CPU for nearly the same size on span
// batches (measured on Node 20: 3.8 vs 9.3 µs CPU per KB, 25.3 vs 24.8 KB for a 156 KB
// batch of 512 spans): random ids dominate and do not compress at any level. The async form
// keeps that work off the application's event loop.
const GZIP_LEVEL = 1;

/** Options of an HttpSender; `timeoutMs` bounds a whole send, retries included. */
export interface HttpSenderOptions {
  url: string;
  headers: Record<string, string>;
  contentType: string;
  compression: 'gzip' | 'none';
  timeoutMs: number;
  /** First backoff ceiling; each retry doubles it up to `maxBackoffMs`. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

/** The outcome of one send: never thrown, always resolved. */
export interface SendResult {
  /** True for a 2xx answer. */
  readonly ok: boolean;
  /** The last HTTP status received, or 0 when no response arrived. */
  readonly status: number;
  /** The last response body (capped). */
  readonly body: Buffer;
  /** Why the send failed, when it did. */
  readonly error?: Error;
  /** How many requests were made. */
  readonly attempts: number;
}

/** Parses a Retry-After header (delay-seconds or HTTP-date) into milliseconds from `now`. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // Every HTTP-date form names a day or month; Date.parse alone would take "-1" as a year.
  if (!/[A-Za-z]{3}/.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

interface Attempt {
  status: number;
  body: Buffer;
  retryAfter?: string;
  error?: Error;
}

// Header names are tokens and values hold no control characters (RFC 9110 §5), as Node's
// own client checks: a value decoded from OTEL_EXPORTER_OTLP_HEADERS must not be able to
// end the header block. The framing headers are the client's to write.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const FRAMING_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection']);

/** The headers that can be sent; each one that cannot is reported once and left out. */
export function sendableHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name) || !HEADER_VALUE.test(value) || FRAMING_HEADERS.has(name.toLowerCase())) {
      diag.warn(`exporter header ${JSON.stringify(name)} left out: not a valid or allowed HTTP header`);
      continue;
    }
    out[name] = value;
  }
  return out;
}

/**
 * POSTs bodies to one URL over keep-alive connections (http1-client.ts), with gzip, a
 * deadline covering retries, exponential backoff with full jitter, and Retry-After;
 * always untraced.
 */
export class HttpSender {
  readonly #client: Http1Client;
  readonly #gzip: boolean;
  readonly #timeoutMs: number;
  readonly #initialBackoffMs: number;
  readonly #maxBackoffMs: number;
  readonly #abort = new AbortController();
  // Aborted when the process is ending: sends in flight stop retrying (see endRetries).
  readonly #noRetry = new AbortController();

  constructor(options: HttpSenderOptions) {
    this.#gzip = options.compression === 'gzip';
    const headers: Record<string, string> = { ...sendableHeaders(options.headers), 'Content-Type': options.contentType };
    if (this.#gzip) headers['Content-Encoding'] = 'gzip';
    // Keep-alive (on Node 20, `http.request` over a reused connection cost ~0.5 µs of client
    // CPU per span of a 512-span batch, global fetch ~3.1 µs); idle
    // connections are unreferenced, so an idle exporter never keeps the process alive.
    this.#client = new Http1Client({ url: new URL(options.url), headers });
    this.#timeoutMs = options.timeoutMs;
    this.#initialBackoffMs = options.initialBackoffMs ?? 100;
    this.#maxBackoffMs = options.maxBackoffMs ?? 5000;
  }

  /**
   * Sends `body`, retrying what is retryable until the deadline (`timeoutMs` from now, or
   * `endBy` when that is sooner); resolves, never rejects.
   */
  send(body: Uint8Array | string, endBy?: number): Promise<SendResult> {
    return withoutTracing(() => this.#send(body, endBy)).catch((err: unknown) => ({
      ok: false,
      status: 0,
      body: EMPTY,
      error: err instanceof Error ? err : new Error(String(err)),
      attempts: 0,
    }));
  }

  /**
   * The process is ending: from now on a failed attempt is final. A collector that refuses
   * connections then costs one attempt, not retries until the export timeout; sends waiting
   * to retry give up at once.
   */
  endRetries(): void {
    this.#noRetry.abort();
  }

  /** Aborts what is in flight and closes every pooled connection. */
  shutdown(): void {
    this.#abort.abort();
    this.#client.close();
  }

  async #send(body: Uint8Array | string, endBy: number | undefined): Promise<SendResult> {
    const deadline = Math.min(Date.now() + this.#timeoutMs, endBy ?? Infinity);
    if (this.#abort.signal.aborted) return { ok: false, status: 0, body: EMPTY, error: new Error('exporter is shut down'), attempts: 0 };
    const payload = await this.#encodeBody(body);
    let attempts = 0;
    for (;;) {
      const attempt = await this.#attempt(payload, deadline);
      attempts++;
      if (attempt.status >= 200 && attempt.status < 300) return { ok: true, status: attempt.status, body: attempt.body, attempts };
      const failure = (): SendResult => ({
        ok: false,
        status: attempt.status,
        body: attempt.body,
        error: attempt.error ?? new Error(`HTTP ${attempt.status}`),
        attempts,
      });
      if (!isRetryable(attempt) || this.#abort.signal.aborted || this.#noRetry.signal.aborted) return failure();
      const remaining = deadline - Date.now();
      const delay = parseRetryAfter(attempt.retryAfter) ?? this.#backoff(attempts);
      // A wait that would reach the deadline cannot be followed by a useful attempt: give up now.
      if (delay >= remaining) return failure();
      await this.#sleep(delay);
      if (this.#abort.signal.aborted || this.#noRetry.signal.aborted) return failure();
    }
  }

  #encodeBody(body: Uint8Array | string): Promise<Buffer> {
    const raw = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    if (!this.#gzip) return Promise.resolve(raw);
    return new Promise((resolve, reject) => {
      gzip(raw, { level: GZIP_LEVEL }, (err, zipped) => (err ? reject(err) : resolve(zipped)));
    });
  }

  /** Full jitter (AWS architecture blog, "Exponential Backoff And Jitter"): uniform in [0, cap). */
  #backoff(attempts: number): number {
    const cap = Math.min(this.#maxBackoffMs, this.#initialBackoffMs * 2 ** (attempts - 1));
    return Math.random() * cap;
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const signals = [this.#abort.signal, this.#noRetry.signal];
      const wake = (): void => {
        clearTimeout(timer);
        for (const s of signals) s.removeEventListener('abort', wake);
        resolve();
      };
      // Referenced on purpose: a retry that is due is part of an export in flight, which the
      // deadline bounds, and a flush at exit must not be cut short by the loop draining.
      const timer = setTimeout(wake, ms);
      for (const s of signals) s.addEventListener('abort', wake, { once: true });
    });
  }

  #attempt(payload: Buffer, deadline: number): Promise<Attempt> {
    return this.#client.post(payload, Math.max(0, deadline - Date.now()), MAX_RESPONSE_BYTES).then(
      (response) => ({ status: response.status, body: response.body, retryAfter: response.retryAfter }),
      (error: Error) => ({ status: 0, body: EMPTY, error }),
    );
  }
}

const EMPTY = Buffer.alloc(0);

function isRetryable(attempt: Attempt): boolean {
  if (attempt.status !== 0) return RETRYABLE_STATUS.has(attempt.status);
  const error = attempt.error as NodeJS.ErrnoException | undefined;
  if (error === undefined) return false;
  if (error.code !== undefined && RETRYABLE_CODES.has(error.code)) return true;
  // Node reports a connection closed before any response as "socket hang up" (code ECONNRESET on
  // recent versions; the message is what older ones share).
  return error.message === 'socket hang up';
}
