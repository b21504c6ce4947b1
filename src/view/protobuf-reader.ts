/**
 * A minimal reader for the protobuf wire format (varint, fixed32/64, length-delimited),
 * enough to decode OTLP without a protobuf library. Every read is bounds-checked and
 * throws a ProtoError on malformed input.
 * https://protobuf.dev/programming-guides/encoding/
 */

/** Wire types. */
export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;
export const WIRE_FIXED32 = 5;

/** Malformed protobuf input. */
export class ProtoError extends Error {
  override name = 'ProtoError';
}

const decoder = new TextDecoder('utf-8');

/** Reads fields from one message body: `buf[start, end)`. */
export class ProtoReader {
  readonly #buf: Uint8Array;
  readonly #view: DataView;
  readonly #end: number;
  #pos: number;

  constructor(buf: Uint8Array, start = 0, end = buf.length) {
    this.#buf = buf;
    this.#view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.#pos = start;
    this.#end = end;
  }

  /** True when the whole body was read. */
  get done(): boolean {
    return this.#pos >= this.#end;
  }

  /** Reads a field key; returns the field number and wire type. */
  key(): { field: number; wire: number } {
    const key = this.varint();
    const field = Math.floor(key / 8);
    if (field === 0) throw new ProtoError('field number 0');
    return { field, wire: key % 8 };
  }

  /** Reads a varint as a number (exact up to 2^53; enough for keys, lengths, enums, uint32). */
  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const byte = this.#byte();
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 128;
    }
    throw new ProtoError('varint longer than 10 bytes');
  }

  /** Reads a varint as a signed 64-bit integer (two's complement, as int64 is encoded). */
  int64(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      const byte = this.#byte();
      result |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return BigInt.asIntN(64, result);
      shift += 7n;
    }
    throw new ProtoError('varint longer than 10 bytes');
  }

  /** Reads a little-endian unsigned 32-bit integer. */
  fixed32(): number {
    const at = this.#advance(4);
    return this.#view.getUint32(at, true);
  }

  /** Reads a little-endian unsigned 64-bit integer. */
  fixed64(): bigint {
    const at = this.#advance(8);
    return this.#view.getBigUint64(at, true);
  }

  /** Reads a little-endian IEEE 754 double. */
  double(): number {
    const at = this.#advance(8);
    return this.#view.getFloat64(at, true);
  }

  /** Reads a length-delimited field's bytes (a view, not a copy). */
  bytes(): Uint8Array {
    const length = this.varint();
    const at = this.#advance(length);
    return this.#buf.subarray(at, at + length);
  }

  /** Reads a length-delimited UTF-8 string. */
  string(): string {
    return decoder.decode(this.bytes());
  }

  /** Reads an embedded message and returns a reader over its body. */
  message(): ProtoReader {
    const length = this.varint();
    const at = this.#advance(length);
    return new ProtoReader(this.#buf, at, at + length);
  }

  /** Skips a field of the given wire type (unknown fields are legal and ignored). */
  skip(wire: number): void {
    switch (wire) {
      case WIRE_VARINT:
        this.varint();
        return;
      case WIRE_FIXED64:
        this.#advance(8);
        return;
      case WIRE_LEN:
        this.#advance(this.varint());
        return;
      case WIRE_FIXED32:
        this.#advance(4);
        return;
      default:
        // Groups (3, 4) are not used by OTLP; anything else is not protobuf.
        throw new ProtoError(`unsupported wire type ${wire}`);
    }
  }

  #byte(): number {
    if (this.#pos >= this.#end) throw new ProtoError('truncated message');
    return this.#buf[this.#pos++]!;
  }

  #advance(n: number): number {
    const at = this.#pos;
    if (n < 0 || at + n > this.#end) throw new ProtoError('truncated message');
    this.#pos = at + n;
    return at;
  }
}
