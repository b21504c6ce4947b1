import { ProtoReader } from './proto-reader';

/**
 * The parts of the gRPC wire protocol (grpc/grpc doc/PROTOCOL-HTTP2.md) that one unary
 * OTLP call needs: message framing, the timeout header, status codes and their meaning for
 * an exporter (OTLP spec, "OTLP/gRPC Response": Failures), and RetryInfo.
 */

/** The OTLP trace service's one method. */
export const GRPC_TRACE_EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

/** Canonical gRPC status names by code (grpc/grpc doc/statuscodes.md). */
export const GRPC_STATUS_NAMES: readonly string[] = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
];

export const GRPC_OK = 0;
const UNKNOWN = 2;
const RESOURCE_EXHAUSTED = 8;
const INTERNAL = 13;
const UNAVAILABLE = 14;
const UNAUTHENTICATED = 16;
const PERMISSION_DENIED = 7;
const UNIMPLEMENTED = 12;

/**
 * Retryable per the OTLP spec's table: CANCELLED, DEADLINE_EXCEEDED, ABORTED, OUT_OF_RANGE,
 * UNAVAILABLE, DATA_LOSS. RESOURCE_EXHAUSTED only when the server sent RetryInfo (it can
 * recover); every other code is final.
 */
const RETRYABLE = new Set([1, 4, 10, 11, UNAVAILABLE, 15]);

/** Whether a failed call with `code` may be retried; `hasRetryInfo`: the status carried RetryInfo. */
export function isRetryableGrpcStatus(code: number, hasRetryInfo: boolean): boolean {
  if (code === RESOURCE_EXHAUSTED) return hasRetryInfo;
  return RETRYABLE.has(code);
}

/** "UNAVAILABLE" for 14; the number for a code outside the table. */
export function grpcStatusName(code: number): string {
  return GRPC_STATUS_NAMES[code] ?? `status ${code}`;
}

/**
 * The gRPC status a client derives from a non-200 HTTP status, when no grpc-status came
 * (grpc/grpc doc/http-grpc-status-mapping.md): a proxy or load balancer answered.
 */
export function grpcStatusFromHttp(status: number): number {
  switch (status) {
    case 400:
      return INTERNAL;
    case 401:
      return UNAUTHENTICATED;
    case 403:
      return PERMISSION_DENIED;
    case 404:
      return UNIMPLEMENTED;
    case 429:
    case 502:
    case 503:
    case 504:
      return UNAVAILABLE;
    default:
      return UNKNOWN;
  }
}

/** A grpc-status value as a code; anything malformed is UNKNOWN, a missing one INTERNAL (the spec's rule). */
export function parseGrpcStatus(value: string | undefined): number {
  if (value === undefined) return INTERNAL;
  return /^\d{1,2}$/.test(value) ? Number(value) : UNKNOWN;
}

/** The grpc-timeout header value for `ms` (at most 8 digits, so long waits go in seconds). */
export function grpcTimeout(ms: number): string {
  const whole = Math.max(1, Math.ceil(ms));
  return whole <= 99_999_999 ? `${whole}m` : `${Math.min(99_999_999, Math.ceil(whole / 1000))}S`;
}

/** One length-prefixed message: the compressed flag, the length (big-endian), the bytes. */
export function grpcFrame(message: Uint8Array, compressed: boolean): Buffer {
  const frame = Buffer.allocUnsafe(5 + message.byteLength);
  frame[0] = compressed ? 1 : 0;
  frame.writeUInt32BE(message.byteLength, 1);
  frame.set(message, 5);
  return frame;
}

/** The first message of a response body: whether it is compressed and its bytes; undefined when cut short. */
export function grpcUnframe(body: Buffer): { compressed: boolean; message: Buffer } | undefined {
  if (body.length < 5) return undefined;
  const length = body.readUInt32BE(1);
  if (body.length < 5 + length) return undefined;
  return { compressed: body[0] === 1, message: body.subarray(5, 5 + length) };
}

/** grpc-message is percent-encoded (RFC 3986 style) UTF-8. */
export function decodeGrpcMessage(value: string | undefined): string {
  if (value === undefined) return '';
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

const RETRY_INFO_TYPE = 'type.googleapis.com/google.rpc.RetryInfo';

/**
 * Reads RetryInfo from grpc-status-details-bin (a base64 google.rpc.Status whose `details`,
 * field 3, are Any messages: type_url 1, value 2). RetryInfo.retry_delay (1) is a Duration
 * (seconds 1, nanos 2). Returns the delay in ms, or undefined when there is no RetryInfo;
 * a malformed value counts as none.
 */
export function retryInfoDelayMs(detailsBin: string | undefined): number | undefined {
  if (detailsBin === undefined || detailsBin === '') return undefined;
  try {
    const status = new ProtoReader(Buffer.from(detailsBin, 'base64'));
    while (!status.done()) {
      const tag = status.varint();
      if (tag !== ((3 << 3) | 2)) {
        status.skip(tag & 7);
        continue;
      }
      const any = new ProtoReader(status.bytes());
      let typeUrl = '';
      let value: Uint8Array | undefined;
      while (!any.done()) {
        const t = any.varint();
        if (t === ((1 << 3) | 2)) typeUrl = Buffer.from(any.bytes()).toString('utf8');
        else if (t === ((2 << 3) | 2)) value = any.bytes();
        else any.skip(t & 7);
      }
      if (typeUrl === RETRY_INFO_TYPE) return durationMs(value);
    }
  } catch {
    return undefined;
  }
  return undefined;
}

function durationMs(retryInfo: Uint8Array | undefined): number {
  let seconds = 0;
  let nanos = 0;
  const info = new ProtoReader(retryInfo ?? new Uint8Array(0));
  while (!info.done()) {
    const tag = info.varint();
    if (tag !== ((1 << 3) | 2)) {
      info.skip(tag & 7);
      continue;
    }
    const duration = new ProtoReader(info.bytes());
    while (!duration.done()) {
      const t = duration.varint();
      if (t === ((1 << 3) | 0)) seconds = duration.varint();
      else if (t === ((2 << 3) | 0)) nanos = duration.varint();
      else duration.skip(t & 7);
    }
  }
  return Math.max(0, seconds * 1000 + Math.floor(nanos / 1e6));
}
