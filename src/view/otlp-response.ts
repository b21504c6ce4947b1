/*
 * Bodies the viewer answers with. Success is an empty ExportTraceServiceResponse (zero
 * bytes in protobuf, `{}` in JSON); a rejected body gets a google.rpc.Status, as OTLP/HTTP
 * asks (https://opentelemetry.io/docs/specs/otlp/#failures-1).
 */

/** Content type and body of one answer. */
export interface OtlpReply {
  status: number;
  contentType: string;
  body: Uint8Array | string;
}

const INVALID_ARGUMENT = 3;

/** The empty success response, in the request's encoding. */
export function successReply(json: boolean): OtlpReply {
  return json
    ? { status: 200, contentType: 'application/json', body: '{}' }
    : { status: 200, contentType: 'application/x-protobuf', body: new Uint8Array(0) };
}

/** A 4xx answer carrying a google.rpc.Status (code INVALID_ARGUMENT) with `message`. */
export function errorReply(status: number, message: string, json: boolean): OtlpReply {
  if (json) return { status, contentType: 'application/json', body: JSON.stringify({ code: INVALID_ARGUMENT, message }) };
  const text = Buffer.from(message, 'utf8');
  // google.rpc.Status: code = 1 (int32, varint), message = 2 (string).
  const body = Buffer.concat([Buffer.from([0x08, INVALID_ARGUMENT, 0x12]), varint(text.length), text]);
  return { status, contentType: 'application/x-protobuf', body };
}

function varint(n: number): Buffer {
  const bytes: number[] = [];
  while (n >= 0x80) {
    bytes.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  bytes.push(n);
  return Buffer.from(bytes);
}
