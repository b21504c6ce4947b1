import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OtlpJsonError, decodeJsonTraceRequest } from '../../src/view/otlp-json-decoder';
import { decodeProtoTraceRequest } from '../../src/view/otlp-proto-decoder';
import { ProtoError } from '../../src/view/protobuf-reader';
import { encodedRequest, requestObject } from './otlp-payloads';

/** Runs `fn`; anything thrown must be an instance of `expected`. */
function onlyThrows(expected: new (...args: never[]) => Error, fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch (err) {
    if (err instanceof expected) return true;
    throw err;
  }
}

describe('decoders on hostile input', () => {
  it('protobuf: random bytes decode or throw a ProtoError, nothing else', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => onlyThrows(ProtoError, () => decodeProtoTraceRequest(bytes))), { numRuns: 2000 });
  });

  it('protobuf: a valid payload with bytes corrupted decodes or throws a ProtoError', () => {
    const valid = encodedRequest();
    const edits = fc.array(fc.tuple(fc.nat({ max: valid.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(edits, fc.nat({ max: valid.length }), (changes, cut) => {
        const bytes = Uint8Array.from(valid);
        for (const [at, value] of changes) bytes[at] = value;
        return onlyThrows(ProtoError, () => decodeProtoTraceRequest(bytes.subarray(0, cut)));
      }),
      { numRuns: 2000 },
    );
  });

  it('JSON: any JSON value decodes or throws an OtlpJsonError', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => onlyThrows(OtlpJsonError, () => decodeJsonTraceRequest(JSON.stringify(value)))), { numRuns: 1000 });
  });

  it('JSON: a valid request with any one field replaced decodes or throws an OtlpJsonError', () => {
    const text = JSON.stringify(requestObject(), (_k, v) => (v?.type === 'Buffer' ? Buffer.from(v.data).toString('hex') : v));
    const keys = [...new Set([...text.matchAll(/"(\w+)":/g)].map((m) => m[1]!))];
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.jsonValue(), (key, replacement) => {
        const mutated = text.replace(new RegExp(`"${key}":`), `"${key}":${JSON.stringify(replacement)},"_was":`);
        return onlyThrows(OtlpJsonError, () => decodeJsonTraceRequest(mutated));
      }),
      { numRuns: 1000 },
    );
  });

  it('an attribute named __proto__ is data, not a prototype', () => {
    const obj = requestObject();
    const span = (obj.resourceSpans as any)[0].scopeSpans[0].spans[0];
    span.attributes = [{ key: '__proto__', value: { kvlistValue: { values: [{ key: 'polluted', value: { boolValue: true } }] } } }];
    const [decoded] = decodeProtoTraceRequest(encodedRequest(obj));
    expect(Object.getPrototypeOf(decoded!.attributes)).toBe(Object.prototype);
    expect((decoded!.attributes as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(decoded!.attributes)).toEqual(['__proto__']);
    const fromJson = decodeJsonTraceRequest('{"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[{"key":"__proto__","value":{"kvlistValue":{"values":[{"key":"polluted","value":{"boolValue":true}}]}}}]}]}]}]}');
    expect((fromJson[0]!.attributes as Record<string, unknown>).polluted).toBeUndefined();
  });
});
