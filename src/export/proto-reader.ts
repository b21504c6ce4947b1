/** Just enough of a protobuf reader for a response message; throws on truncated input. */
export class ProtoReader {
  readonly #buf: Uint8Array;
  #pos = 0;

  constructor(buf: Uint8Array) {
    this.#buf = buf;
  }

  done(): boolean {
    return this.#pos >= this.#buf.length;
  }

  /** A varint as a number; exact up to 2^53, which covers any count a collector reports. */
  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.#pos >= this.#buf.length) throw new Error('truncated varint');
      const byte = this.#buf[this.#pos++]!;
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 128;
    }
    throw new Error('varint too long');
  }

  bytes(): Uint8Array {
    const len = this.varint();
    if (this.#pos + len > this.#buf.length) throw new Error('truncated field');
    const out = this.#buf.subarray(this.#pos, this.#pos + len);
    this.#pos += len;
    return out;
  }

  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.#advance(8);
    else if (wireType === 2) this.bytes();
    else if (wireType === 5) this.#advance(4);
    else throw new Error(`unsupported wire type ${wireType}`);
  }

  #advance(n: number): void {
    if (this.#pos + n > this.#buf.length) throw new Error('truncated field');
    this.#pos += n;
  }
}
