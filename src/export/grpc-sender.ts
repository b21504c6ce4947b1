import type * as zlib from 'node:zlib';
import { describeError, diag } from '../diag';
import { GrpcClient, type GrpcResponse } from './grpc-client';
import {
  GRPC_OK,
  decodeGrpcMessage,
  grpcFrame,
  grpcStatusFromHttp,
  grpcStatusName,
  grpcTimeout,
  grpcUnframe,
  isRetryableGrpcStatus,
  parseGrpcStatus,
  retryInfoDelayMs,
} from './grpc-wire';
import { sendableHeaders } from './http-sender';
import { explainTlsError, type TlsConnectOptions } from './tls-options';
import {
  EMPTY,
  MAX_RESPONSE_BYTES,
  RetryingSender,
  noAnswer,
  type Answer,
  type RetryOptions,
  type Transport,
} from './retrying-sender';

/** Options of a GrpcSender; `timeoutMs` bounds a whole send, retries included. */
export interface GrpcSenderOptions extends RetryOptions {
  /** The collector's origin: http://host:port (plaintext HTTP/2) or https://host:port (TLS). */
  url: string;
  /** The method's path, e.g. /opentelemetry.proto.collector.trace.v1.TraceService/Export. */
  path: string;
  /** Sent as call metadata (OTEL_EXPORTER_OTLP_HEADERS). */
  headers: Record<string, string>;
  /** For an https: URL: the configured CA and client certificate. */
  tls?: TlsConnectOptions | undefined;
}

// The transport's own headers, HTTP/2's connection-specific ones (which node:http2 refuses)
// and the grpc- prefix, which gRPC reserves for itself.
const RESERVED = new Set(['content-type', 'te', 'host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'proxy-connection', 'upgrade']);
// gRPC metadata values are printable ASCII (PROTOCOL-HTTP2.md, ASCII-Value).
const METADATA_VALUE = /^[\x20-\x7e]*$/;

/** OTEL_EXPORTER_OTLP_HEADERS as gRPC metadata: lower-case names, the unsendable ones reported once and left out. */
export function grpcMetadata(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  const sendable = sendableHeaders(headers, (name) => RESERVED.has(name) || name.startsWith('grpc-') || name.startsWith(':'), METADATA_VALUE);
  for (const [name, value] of Object.entries(sendable)) out[name.toLowerCase()] = value;
  return out;
}

let gunzipSync: typeof zlib.gunzipSync | undefined;

/** The unary OTLP call over the gRPC client, its answer read by the OTLP/gRPC rules. */
class GrpcTransport implements Transport {
  readonly #client: GrpcClient;
  readonly #path: string;
  readonly #compressed: boolean;
  readonly #host: string;
  readonly #tls: TlsConnectOptions | undefined;

  constructor(client: GrpcClient, path: string, compressed: boolean, host: string, tls: TlsConnectOptions | undefined) {
    this.#client = client;
    this.#path = path;
    this.#compressed = compressed;
    this.#host = host;
    this.#tls = tls;
  }

  post(payload: Buffer, timeoutMs: number): Promise<Answer> {
    const body = grpcFrame(payload, this.#compressed);
    return this.#client.call(this.#path, body, { 'grpc-timeout': grpcTimeout(timeoutMs) }, timeoutMs, MAX_RESPONSE_BYTES).then(
      (response) => readAnswer(response),
      (error: Error) => noAnswer(explainTlsError(error, this.#host, this.#tls)),
    );
  }

  close(): void {
    this.#client.close();
  }
}

/** An answer by the OTLP spec's table ("OTLP/gRPC Response", Failures). */
export function readAnswer(response: GrpcResponse): Answer {
  const status = response.httpStatus;
  if (status !== 200) {
    // A proxy answered, not a gRPC server: the HTTP status decides (http-grpc-status-mapping).
    const code = grpcStatusFromHttp(status);
    return {
      ok: false,
      status,
      body: EMPTY,
      retryable: isRetryableGrpcStatus(code, false),
      label: `HTTP ${status} (gRPC ${grpcStatusName(code)})`,
    };
  }
  if (response.grpcStatus === undefined && !(response.contentType ?? '').startsWith('application/grpc')) {
    return { ok: false, status, body: EMPTY, retryable: false, label: 'gRPC UNKNOWN', detail: `not a gRPC server (content-type ${response.contentType ?? 'none'})` };
  }
  const code = parseGrpcStatus(response.grpcStatus);
  if (code === GRPC_OK) return { ok: true, status, body: responseMessage(response), retryable: false };
  const delay = retryInfoDelayMs(response.statusDetails);
  const message = decodeGrpcMessage(response.grpcMessage);
  return {
    ok: false,
    status,
    body: EMPTY,
    retryable: isRetryableGrpcStatus(code, delay !== undefined),
    retryAfterMs: delay,
    label: `gRPC ${grpcStatusName(code)}`,
    detail: message === '' ? (response.grpcStatus === undefined ? 'no grpc-status in the response' : undefined) : message.slice(0, 200),
  };
}

/** The ExportTraceServiceResponse message, unframed and, if compressed, inflated (bounded). */
function responseMessage(response: GrpcResponse): Buffer {
  const framed = grpcUnframe(response.body);
  if (framed === undefined) return EMPTY;
  if (!framed.compressed) return framed.message;
  if (response.encoding !== 'gzip') {
    diag.debug(`OTLP gRPC response compressed with ${response.encoding ?? 'no named encoding'}; not read`);
    return EMPTY;
  }
  try {
    gunzipSync ??= (require('node:zlib') as typeof zlib).gunzipSync;
    return gunzipSync(framed.message, { maxOutputLength: MAX_RESPONSE_BYTES });
  } catch (err) {
    diag.debug(`could not inflate the OTLP gRPC response: ${describeError(err)}`);
    return EMPTY;
  }
}

/**
 * Unary gRPC calls (length-prefixed protobuf over node:http2, no gRPC library) with the
 * retry rules of OTLP/gRPC; the deadline, backoff and shutdown are RetryingSender's.
 */
export class GrpcSender extends RetryingSender {
  /** The call metadata sent (the configured headers that gRPC can carry). */
  readonly metadata: Readonly<Record<string, string>>;

  constructor(options: GrpcSenderOptions) {
    const gzip = options.compression === 'gzip';
    const metadata = grpcMetadata(options.headers);
    const headers: Record<string, string> = {
      ...metadata,
      'content-type': 'application/grpc',
      te: 'trailers',
    };
    if (gzip) {
      headers['grpc-encoding'] = 'gzip';
      headers['grpc-accept-encoding'] = 'gzip';
    }
    const url = new URL(options.url);
    const secureContext = options.tls?.secureContext;
    const client = new GrpcClient({ origin: url.origin, headers, tls: secureContext === undefined ? undefined : { secureContext } });
    super(options, new GrpcTransport(client, options.path, gzip, url.host, options.tls));
    this.metadata = metadata;
  }
}
