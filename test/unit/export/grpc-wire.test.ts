import { describe, expect, it } from 'vitest';
import {
  decodeGrpcMessage,
  grpcFrame,
  grpcStatusFromHttp,
  grpcTimeout,
  grpcUnframe,
  isRetryableGrpcStatus,
  parseGrpcStatus,
  retryInfoDelayMs,
} from '../../../src/export/grpc-wire';
import { statusDetailsWithRetryInfo } from '../../helpers/otlp-grpc-receiver';

describe('gRPC wire helpers', () => {
  it('retries exactly the codes the OTLP spec lists, RESOURCE_EXHAUSTED only with RetryInfo', () => {
    const retryable = [...Array(17).keys()].filter((code) => isRetryableGrpcStatus(code, false));
    // CANCELLED, DEADLINE_EXCEEDED, ABORTED, OUT_OF_RANGE, UNAVAILABLE, DATA_LOSS.
    expect(retryable).toEqual([1, 4, 10, 11, 14, 15]);
    expect(isRetryableGrpcStatus(8, false)).toBe(false);
    expect(isRetryableGrpcStatus(8, true)).toBe(true);
    // RetryInfo does not make a final code retryable.
    expect(isRetryableGrpcStatus(3, true)).toBe(false);
  });

  it('maps HTTP statuses of a proxy as gRPC clients do', () => {
    expect([400, 401, 403, 404, 429, 502, 503, 504, 500].map(grpcStatusFromHttp)).toEqual([13, 16, 7, 12, 14, 14, 14, 14, 2]);
  });

  it('reads grpc-status: missing is INTERNAL, malformed UNKNOWN', () => {
    expect(parseGrpcStatus('0')).toBe(0);
    expect(parseGrpcStatus('14')).toBe(14);
    expect(parseGrpcStatus(undefined)).toBe(13);
    expect(parseGrpcStatus('x')).toBe(2);
  });

  it('writes grpc-timeout in at most 8 digits', () => {
    expect(grpcTimeout(10_000)).toBe('10000m');
    expect(grpcTimeout(0)).toBe('1m');
    expect(grpcTimeout(12.2)).toBe('13m');
    expect(grpcTimeout(2 ** 31 - 1)).toBe('2147484S');
  });

  it('frames and unframes a length-prefixed message', () => {
    const framed = grpcFrame(Buffer.from('abc'), true);
    expect([...framed]).toEqual([1, 0, 0, 0, 3, 97, 98, 99]);
    expect(grpcUnframe(framed)).toEqual({ compressed: true, message: Buffer.from('abc') });
    expect(grpcUnframe(framed.subarray(0, 6))).toBeUndefined();
  });

  it('decodes a percent-encoded grpc-message', () => {
    expect(decodeGrpcMessage('bad%20data%3A%20%C3%BC')).toBe('bad data: ü');
    expect(decodeGrpcMessage('100%')).toBe('100%');
    expect(decodeGrpcMessage(undefined)).toBe('');
  });

  it('reads the RetryInfo delay from grpc-status-details-bin (encoded by protobufjs)', () => {
    expect(retryInfoDelayMs(statusDetailsWithRetryInfo(8, 1500))).toBe(1500);
    expect(retryInfoDelayMs(statusDetailsWithRetryInfo(14, 0))).toBe(0);
    expect(retryInfoDelayMs(undefined)).toBeUndefined();
    expect(retryInfoDelayMs('not protobuf!')).toBeUndefined();
  });
});
