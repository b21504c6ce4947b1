import { diag } from '../diag';
import { Http1Client } from './http1-client';
import { explainTlsError, type TlsConnectOptions } from './tls-options';
import {
  MAX_RESPONSE_BYTES,
  RetryingSender,
  noAnswer,
  type Answer,
  type RetryOptions,
  type Transport,
} from './retrying-sender';

export type { SendResult } from './retrying-sender';

/** Statuses worth another attempt (OTLP/HTTP spec: "retryable response codes"). */
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

/** Options of an HttpSender; `timeoutMs` bounds a whole send, retries included. */
export interface HttpSenderOptions extends RetryOptions {
  url: string;
  headers: Record<string, string>;
  contentType: string;
  /** For an https: URL: the configured CA and client certificate. */
  tls?: TlsConnectOptions | undefined;
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

// Header names are tokens and values hold no control characters (RFC 9110 §5), as Node's
// own client checks: a value decoded from OTEL_EXPORTER_OTLP_HEADERS must not be able to
// end the header block. The framing headers are the client's to write.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const FRAMING_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection']);

/**
 * The headers that can be sent; each one that cannot is reported once and left out.
 * `reserved` names (lower case) are the transport's own to write.
 */
export function sendableHeaders(
  headers: Record<string, string>,
  reserved: (lowerName: string) => boolean = (name) => FRAMING_HEADERS.has(name),
  value: RegExp = HEADER_VALUE,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name) || !value.test(v) || reserved(name.toLowerCase())) {
      diag.warn(`exporter header ${JSON.stringify(name)} left out: not a valid or allowed HTTP header`);
      continue;
    }
    out[name] = v;
  }
  return out;
}

/** OTLP/HTTP over the exporter's own HTTP/1.1 client. */
class Http1Transport implements Transport {
  readonly #client: Http1Client;
  readonly #host: string;
  readonly #tls: TlsConnectOptions | undefined;

  constructor(client: Http1Client, host: string, tls: TlsConnectOptions | undefined) {
    this.#client = client;
    this.#host = host;
    this.#tls = tls;
  }

  post(payload: Buffer, timeoutMs: number): Promise<Answer> {
    return this.#client.post(payload, timeoutMs, MAX_RESPONSE_BYTES).then(
      (response) => {
        const ok = response.status >= 200 && response.status < 300;
        return {
          ok,
          status: response.status,
          body: response.body,
          retryable: RETRYABLE_STATUS.has(response.status),
          retryAfterMs: parseRetryAfter(response.retryAfter),
          label: `HTTP ${response.status}`,
          detail: ok || response.body.length === 0 ? undefined : response.body.subarray(0, 200).toString('utf8'),
        };
      },
      (error: Error) => noAnswer(explainTlsError(error, this.#host, this.#tls)),
    );
  }

  close(): void {
    this.#client.close();
  }
}

/**
 * POSTs bodies to one URL over keep-alive connections (http1-client.ts), with the retry
 * rules of OTLP/HTTP (retrying-sender.ts); always untraced.
 */
export class HttpSender extends RetryingSender {
  constructor(options: HttpSenderOptions) {
    const headers: Record<string, string> = { ...sendableHeaders(options.headers), 'Content-Type': options.contentType };
    if (options.compression === 'gzip') headers['Content-Encoding'] = 'gzip';
    // Keep-alive (on Node 20, `http.request` over a reused connection cost ~0.5 µs of client
    // CPU per span of a 512-span batch, global fetch ~3.1 µs); idle
    // connections are unreferenced, so an idle exporter never keeps the process alive.
    const url = new URL(options.url);
    const client = new Http1Client({ url, headers, secureContext: options.tls?.secureContext });
    super(options, new Http1Transport(client, url.host, options.tls));
  }
}
