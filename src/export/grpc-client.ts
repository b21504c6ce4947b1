import type * as http2 from 'node:http2';
import { codedError } from './http1-client';

/**
 * The exporter's gRPC client: unary calls over one HTTP/2 connection (node:http2), kept
 * open between exports and unreferenced while idle, so it never keeps the process alive.
 * It moves bytes and reads the answer's parts; what they mean is grpc-sender.ts's job.
 */

export interface GrpcClientOptions {
  /** The collector's origin (http: is h2c with prior knowledge, https: is TLS with ALPN h2). */
  origin: string;
  /** Request headers sent with every call (pseudo-headers excluded). */
  headers: Record<string, string>;
  /** TLS settings for an https: origin. */
  tls?: http2.SecureClientSessionOptions | undefined;
}

/** What came back for one call. */
export interface GrpcResponse {
  /** The HTTP/2 :status. */
  readonly httpStatus: number;
  readonly contentType: string | undefined;
  /** grpc-status, grpc-message, grpc-status-details-bin and grpc-encoding, from trailers or a trailers-only response. */
  readonly grpcStatus: string | undefined;
  readonly grpcMessage: string | undefined;
  readonly statusDetails: string | undefined;
  readonly encoding: string | undefined;
  /** The response body (framed messages), cut at the caller's limit. */
  readonly body: Buffer;
}

let http2Module: typeof http2 | undefined;
// Loaded with the first gRPC exporter: an agent exporting OTLP/HTTP never pays for it.
function loadHttp2(): typeof http2 {
  return (http2Module ??= require('node:http2') as typeof http2);
}

function header(headers: http2.IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

// The connection went away under the call, or the server refused the stream before reading
// it (RFC 9113 §8.7: safe to retry): what a hang-up is to HTTP/1.1.
const GONE = new Set(['ERR_HTTP2_STREAM_CANCEL', 'ERR_HTTP2_GOAWAY_SESSION', 'ERR_HTTP2_INVALID_SESSION', 'ERR_HTTP2_SESSION_ERROR']);

/** A call's failure as the sender reads it: the connection's own error, or ECONNRESET for a connection that went away. */
function callError(err: Error): Error {
  // A call still pending when its connection fails is "canceled", caused by the real error.
  if (err.cause instanceof Error) return err.cause;
  const code = (err as NodeJS.ErrnoException).code ?? '';
  const refused = code === 'ERR_HTTP2_STREAM_ERROR' && /NGHTTP2_REFUSED_STREAM/.test(err.message);
  return GONE.has(code) || refused ? codedError(`${err.message} (the connection went away before an answer)`, 'ECONNRESET') : err;
}

export class GrpcClient {
  readonly #options: GrpcClientOptions;
  #session: http2.ClientHttp2Session | undefined;
  readonly #inFlight = new Set<http2.ClientHttp2Stream>();
  #closed = false;

  constructor(options: GrpcClientOptions) {
    this.#options = options;
  }

  /**
   * Makes one call with `body` (already framed) at `path`; rejects with a coded error when
   * no whole response arrived, ETIMEDOUT (cancelling the call) after `timeoutMs`.
   */
  call(path: string, body: Buffer, extraHeaders: Record<string, string>, timeoutMs: number, maxBodyBytes: number): Promise<GrpcResponse> {
    if (this.#closed) return Promise.reject(codedError('exporter client is closed', 'ECONNABORTED'));
    let session: http2.ClientHttp2Session;
    let stream: http2.ClientHttp2Stream;
    try {
      session = this.#connect();
      stream = session.request({ ':method': 'POST', ':path': path, ...this.#options.headers, ...extraHeaders });
    } catch (err) {
      return Promise.reject(callError(err instanceof Error ? err : new Error(String(err))));
    }
    this.#inFlight.add(stream);
    session.ref();
    return new Promise<GrpcResponse>((resolve, reject) => {
      let head: http2.IncomingHttpHeaders | undefined;
      let trailers: http2.IncomingHttpHeaders | undefined;
      const chunks: Buffer[] = [];
      let kept = 0;
      let failure: Error | undefined;
      let timedOut: Error | undefined;
      // A connection failure (refused, TLS) takes the call down with a less telling error of its own.
      let sessionError: Error | undefined;
      const onSessionError = (err: Error): void => {
        sessionError = err;
      };
      session.on('error', onSessionError);
      const timer = setTimeout(() => {
        timedOut = codedError(`request timed out after ${timeoutMs} ms`, 'ETIMEDOUT');
        stream.close(loadHttp2().constants.NGHTTP2_CANCEL);
      }, timeoutMs);
      stream.on('response', (h) => {
        head = h;
      });
      stream.on('trailers', (t) => {
        trailers = t;
      });
      stream.on('data', (chunk: Buffer) => {
        if (kept >= maxBodyBytes) return;
        const part = chunk.length <= maxBodyBytes - kept ? chunk : chunk.subarray(0, maxBodyBytes - kept);
        chunks.push(part);
        kept += part.length;
      });
      stream.on('error', (err: Error) => {
        failure ??= callError(err);
      });
      stream.on('close', () => {
        clearTimeout(timer);
        session.off('error', onSessionError);
        this.#inFlight.delete(stream);
        if (this.#inFlight.size === 0 && this.#session === session) session.unref();
        if (timedOut !== undefined) {
          reject(timedOut);
          return;
        }
        if (head === undefined || failure !== undefined) {
          reject(sessionError ?? failure ?? codedError('connection closed before a response', 'ECONNRESET'));
          return;
        }
        // A trailers-only answer carries the status in its headers.
        const status = trailers ?? head;
        resolve({
          httpStatus: Number(head[':status']),
          contentType: header(head, 'content-type'),
          grpcStatus: header(status, 'grpc-status') ?? header(head, 'grpc-status'),
          grpcMessage: header(status, 'grpc-message') ?? header(head, 'grpc-message'),
          statusDetails: header(status, 'grpc-status-details-bin') ?? header(head, 'grpc-status-details-bin'),
          encoding: header(head, 'grpc-encoding'),
          body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks),
        });
      });
      stream.end(body);
    });
  }

  /** Cancels every call in flight and closes the connection. */
  close(): void {
    this.#closed = true;
    for (const stream of this.#inFlight) stream.destroy(codedError('exporter client is closed', 'ECONNABORTED'));
    this.#session?.destroy();
    this.#session = undefined;
  }

  #connect(): http2.ClientHttp2Session {
    const current = this.#session;
    if (current !== undefined && !current.closed && !current.destroyed) return current;
    const session = loadHttp2().connect(this.#options.origin, this.#options.tls ?? {});
    this.#session = session;
    const forget = (): void => {
      if (this.#session === session) this.#session = undefined;
    };
    session.on('error', forget);
    // After GOAWAY the server takes no new calls on this connection: the next one opens another.
    session.on('goaway', forget);
    session.on('close', forget);
    return session;
  }
}
