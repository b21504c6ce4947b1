import { gunzip, inflate } from 'node:zlib';
import { promisify } from 'node:util';
import { decodeJsonTraceRequest } from './otlp-json-decoder';
import { decodeProtoTraceRequest } from './otlp-proto-decoder';
import type { ViewSpan } from './view-span';

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);

/** A body the viewer cannot take, with the HTTP status to answer. */
export class BodyError extends Error {
  override name = 'BodyError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** True when the request is OTLP/JSON (by content type; by the first byte when the type says neither). */
export function isJsonBody(contentType: string | undefined, body: Uint8Array): boolean {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json') return true;
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return false;
  // No usable type: a JSON request starts with `{` (after whitespace); protobuf never starts with 0x7b (field 15, group).
  const first = body.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
  return first === 0x7b;
}

/** Undoes Content-Encoding (gzip, deflate), output bounded by `maxBytes`. */
export async function decompress(encoding: string | undefined, body: Buffer, maxBytes: number): Promise<Buffer> {
  const enc = (encoding ?? 'identity').trim().toLowerCase();
  try {
    if (enc === 'gzip' || enc === 'x-gzip') return await gunzipAsync(body, { maxOutputLength: maxBytes });
    if (enc === 'deflate') return await inflateAsync(body, { maxOutputLength: maxBytes });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new BodyError(413, `body larger than ${maxBytes} bytes once decompressed`);
    throw new BodyError(400, `cannot decompress the ${enc} body: ${(err as Error).message}`);
  }
  if (enc === 'identity' || enc === '') return body;
  throw new BodyError(415, `unsupported Content-Encoding ${JSON.stringify(enc)}`);
}

/** Decodes an (uncompressed) export request into spans; undecodable bodies throw a 400 BodyError. */
export function decodeBody(json: boolean, body: Buffer): ViewSpan[] {
  try {
    return json ? decodeJsonTraceRequest(body.toString('utf8')) : decodeProtoTraceRequest(body);
  } catch (err) {
    throw new BodyError(400, `cannot decode the ${json ? 'OTLP/JSON' : 'OTLP protobuf'} body: ${(err as Error).message}`);
  }
}
