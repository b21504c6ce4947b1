import { once } from 'node:events';
import {
  constants,
  createSecureServer,
  createServer,
  type Http2Server,
  type Http2Session,
  type IncomingHttpHeaders,
  type SecureServerOptions,
  type ServerHttp2Stream,
} from 'node:http2';
import type { AddressInfo } from 'node:net';
import { gunzipSync, gzipSync } from 'node:zlib';
import protobuf from 'protobufjs';
import { decodeProtoRequest, encodeProtoResponse, flattenSpans, type DecodedRequest, type ReceivedSpan } from './otlp-receiver';

/**
 * A local OTLP/gRPC trace receiver for tests, on node:http2 (plaintext, or TLS with the
 * options given): it reads the length-prefixed message as the gRPC protocol frames it,
 * inflates it when the call says grpc-encoding gzip, decodes it with the official generated
 * decoder, and answers with a status the test chooses.
 */

export const TRACE_EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

export interface GrpcReceivedCall {
  path: string;
  headers: IncomingHttpHeaders;
  /** The compressed flag of the message's prefix. */
  compressedFlag: boolean;
  /** The message after decompression. */
  message: Buffer;
  decoded: DecodedRequest | undefined;
  decodeError: Error | undefined;
}

/** The status to answer with: OK by default; `retryDelayMs` adds a RetryInfo detail; `partial` a partial success. */
export interface GrpcReply {
  code?: number;
  message?: string;
  retryDelayMs?: number;
  partial?: { rejectedSpans: number; errorMessage: string };
  /** Answer with this HTTP status and nothing gRPC (a proxy in the way). */
  httpStatus?: number;
  /** Never answer (the stream stays open until the client gives up). */
  hang?: boolean;
  /** Refuse the stream (RST_STREAM REFUSED_STREAM), or drop the whole connection. */
  refuse?: boolean;
  drop?: boolean;
}

export type GrpcResponder = (call: GrpcReceivedCall, index: number) => GrpcReply | undefined;

export interface OtlpGrpcReceiver {
  /** http://127.0.0.1:port or https://localhost:port. */
  readonly url: string;
  readonly port: number;
  readonly calls: GrpcReceivedCall[];
  /** TLS sessions that ended in a handshake error (e.g. no client certificate). */
  readonly tlsErrors: Error[];
  spans(): ReceivedSpan[];
  waitForSpans(n: number, timeoutMs?: number): Promise<ReceivedSpan[]>;
  setResponder(fn: GrpcResponder | undefined): void;
  close(): Promise<void>;
}

// google.rpc.Status and RetryInfo, encoded by protobufjs from their published definitions.
const RPC = protobuf.parse(`
syntax = "proto3";
package google.rpc;
message Any { string type_url = 1; bytes value = 2; }
message Duration { int64 seconds = 1; int32 nanos = 2; }
message RetryInfo { Duration retry_delay = 1; }
message Status { int32 code = 1; string message = 2; repeated Any details = 3; }
`).root;

/** grpc-status-details-bin for a status carrying RetryInfo with `delayMs`. */
export function statusDetailsWithRetryInfo(code: number, delayMs: number): string {
  const RetryInfo = RPC.lookupType('google.rpc.RetryInfo');
  const Status = RPC.lookupType('google.rpc.Status');
  const retryInfo = RetryInfo.encode(
    RetryInfo.fromObject({ retryDelay: { seconds: Math.floor(delayMs / 1000), nanos: (delayMs % 1000) * 1e6 } }),
  ).finish();
  const status = Status.fromObject({ code, details: [{ typeUrl: 'type.googleapis.com/google.rpc.RetryInfo', value: retryInfo }] });
  return Buffer.from(Status.encode(status).finish()).toString('base64');
}

function frame(message: Uint8Array, compressed: boolean): Buffer {
  const out = Buffer.alloc(5 + message.length);
  out[0] = compressed ? 1 : 0;
  out.writeUInt32BE(message.length, 1);
  out.set(message, 5);
  return out;
}

/** Starts a receiver on 127.0.0.1 (ephemeral port); `tls` makes it a TLS server. */
export async function startOtlpGrpcReceiver(opts: { tls?: SecureServerOptions; responder?: GrpcResponder } = {}): Promise<OtlpGrpcReceiver> {
  const calls: GrpcReceivedCall[] = [];
  const tlsErrors: Error[] = [];
  const sessions = new Set<Http2Session>();
  let responder = opts.responder;
  const waiters = new Set<() => void>();

  const server: Http2Server = opts.tls ? createSecureServer({ ...opts.tls, allowHTTP1: false }) : createServer();
  server.on('session', (s: Http2Session) => {
    sessions.add(s);
    s.on('close', () => sessions.delete(s));
  });
  server.on('tlsClientError', (err: Error) => tlsErrors.push(err));
  server.on('stream', (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => handle(stream, headers, Buffer.concat(chunks)));
    stream.on('error', () => undefined);
  });

  function handle(stream: ServerHttp2Stream, headers: IncomingHttpHeaders, body: Buffer): void {
    const call: GrpcReceivedCall = {
      path: String(headers[':path']),
      headers,
      compressedFlag: body[0] === 1,
      message: Buffer.alloc(0),
      decoded: undefined,
      decodeError: undefined,
    };
    try {
      if (body.length < 5 || body.readUInt32BE(1) !== body.length - 5) throw new Error(`bad gRPC framing (${body.length} bytes)`);
      const message = body.subarray(5);
      if (call.compressedFlag && headers['grpc-encoding'] !== 'gzip') throw new Error('compressed flag without grpc-encoding gzip');
      call.message = call.compressedFlag ? gunzipSync(message) : message;
      call.decoded = decodeProtoRequest(call.message);
    } catch (err) {
      call.decodeError = err as Error;
    }
    const index = calls.length;
    calls.push(call);
    for (const wake of waiters) wake();
    if (stream.destroyed) return;

    const reply = responder?.(call, index) ?? (call.decodeError ? { code: 3, message: call.decodeError.message } : {});
    if (reply.hang) return;
    if (reply.refuse) {
      stream.close(constants.NGHTTP2_REFUSED_STREAM);
      return;
    }
    if (reply.drop) {
      stream.session?.destroy();
      return;
    }
    if (reply.httpStatus !== undefined) {
      stream.respond({ ':status': reply.httpStatus, 'content-type': 'text/plain' });
      stream.end('proxy says no');
      return;
    }
    const code = reply.code ?? 0;
    if (code !== 0) {
      // Trailers-only: the status travels in the one HEADERS frame.
      const head: Record<string, string | number> = { ':status': 200, 'content-type': 'application/grpc', 'grpc-status': String(code) };
      if (reply.message !== undefined) head['grpc-message'] = encodeURIComponent(reply.message);
      if (reply.retryDelayMs !== undefined) head['grpc-status-details-bin'] = statusDetailsWithRetryInfo(code, reply.retryDelayMs);
      stream.respond(head, { endStream: true });
      return;
    }
    // A gzip request gets a gzip answer, as grpc-go does.
    const gzip = headers['grpc-encoding'] === 'gzip';
    const responseMessage = encodeProtoResponse(reply.partial ?? { rejectedSpans: 0, errorMessage: '' });
    const out = reply.partial === undefined ? Buffer.alloc(0) : Buffer.from(responseMessage);
    stream.respond({ ':status': 200, 'content-type': 'application/grpc', ...(gzip ? { 'grpc-encoding': 'gzip' } : {}) }, { waitForTrailers: true });
    stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
    stream.end(frame(gzip ? gzipSync(out) : out, gzip));
  }

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;

  const spans = (): ReceivedSpan[] => calls.flatMap((c) => (c.decoded ? flattenSpans(c.decoded) : []));

  return {
    url: `${opts.tls ? 'https://localhost' : 'http://127.0.0.1'}:${port}`,
    port,
    calls,
    tlsErrors,
    spans,
    waitForSpans: (n, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const all = spans();
          if (all.length < n) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(all);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${n} spans (have ${spans().length})`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    setResponder: (fn) => {
      responder = fn;
    },
    close: async () => {
      for (const s of sessions) s.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}
