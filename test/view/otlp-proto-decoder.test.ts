import { describe, expect, it } from 'vitest';
import { decodeProtoTraceRequest } from '../../src/view/otlp-proto-decoder';
import { ProtoError } from '../../src/view/protobuf-reader';
import { encodedRequest, expectedSpans, requestObject } from './otlp-payloads';

describe('decodeProtoTraceRequest (payloads from the official encoder)', () => {
  it('decodes every field the viewer uses and skips the rest', () => {
    expect(decodeProtoTraceRequest(encodedRequest())).toEqual(expectedSpans());
  });

  it('decodes an empty request to no spans', () => {
    expect(decodeProtoTraceRequest(new Uint8Array(0))).toEqual([]);
    expect(decodeProtoTraceRequest(encodedRequest({ resourceSpans: [] }))).toEqual([]);
  });

  it('keeps the uint64 nanosecond times exact', () => {
    const obj = requestObject();
    const span = (obj.resourceSpans as any)[0].scopeSpans[0].spans[0];
    span.startTimeUnixNano = '18446744073709551615';
    expect(decodeProtoTraceRequest(encodedRequest(obj))[0]!.startTimeUnixNano).toBe('18446744073709551615');
  });

  it('finds the resource even when it comes after the spans on the wire', () => {
    const body = Buffer.from(encodedRequest());
    // Re-encode ResourceSpans #1 with its fields reversed: scope_spans (2), then resource (1).
    const reordered = decodeProtoTraceRequest(reverseFirstResourceSpans(body));
    expect(reordered.map((s) => s.service)).toEqual(['users', 'users', 'unknown_service']);
  });

  it.each([
    ['a truncated body', (b: Buffer) => b.subarray(0, b.length - 3)],
    ['JSON sent as protobuf', () => Buffer.from('{"resourceSpans":[]}')],
    ['a length beyond the body', () => Buffer.from([0x0a, 0x7f, 0x01])],
    ['a known field with the wrong wire type', () => Buffer.from([0x08, 0x01])],
    ['field number 0', () => Buffer.from([0x00, 0x01])],
    ['an 11-byte varint', () => Buffer.from([0x08, ...Array(10).fill(0xff), 0x01])],
  ])('rejects %s with a ProtoError', (_what, make) => {
    expect(() => decodeProtoTraceRequest(make(Buffer.from(encodedRequest())))).toThrow(ProtoError);
  });

  it('rejects attribute values nested beyond 32 levels instead of overflowing the stack', () => {
    let value: Record<string, unknown> = { stringValue: 'bottom' };
    for (let i = 0; i < 40; i++) value = { arrayValue: { values: [value] } };
    const obj = { resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: Buffer.alloc(16, 1), spanId: Buffer.alloc(8, 1), attributes: [{ key: 'deep', value }] }] }] }] };
    expect(() => decodeProtoTraceRequest(encodedRequest(obj))).toThrow(/nested too deeply/);
  });
});

/** Swaps the order of the first ResourceSpans' two leading fields (hand-rolled, for the ordering test). */
function reverseFirstResourceSpans(body: Buffer): Buffer {
  const readVarint = (buf: Buffer, at: number): [number, number] => {
    let v = 0;
    let scale = 1;
    for (;;) {
      const b = buf[at++]!;
      v += (b & 0x7f) * scale;
      if (b < 0x80) return [v, at];
      scale *= 128;
    }
  };
  const writeVarint = (n: number): Buffer => {
    const out: number[] = [];
    while (n >= 0x80) {
      out.push((n & 0x7f) | 0x80);
      n = Math.floor(n / 128);
    }
    out.push(n);
    return Buffer.from(out);
  };
  const [len, start] = readVarint(body, 1);
  const rs = body.subarray(start, start + len);
  const fields: Buffer[] = [];
  let at = 0;
  while (at < rs.length) {
    const [, afterKey] = readVarint(rs, at);
    const [flen, afterLen] = readVarint(rs, afterKey);
    fields.push(rs.subarray(at, afterLen + flen));
    at = afterLen + flen;
  }
  const reversed = Buffer.concat(fields.reverse());
  return Buffer.concat([Buffer.from([0x0a]), writeVarint(reversed.length), reversed, body.subarray(start + len)]);
}
