/**
 * An incremental reader of one HTTP/1.x response (RFC 9112), for the exporter's own client
 * (http1-client.ts). It is fed the bytes as they arrive, in chunks split anywhere, and
 * keeps only what the exporter uses: the status, Retry-After, whether the connection can
 * carry another request, and the first `maxBodyBytes` of the body. Interim 1xx responses
 * are skipped. Anything malformed is an error: the caller closes the connection.
 */

/** A response read whole. */
export interface Http1Response {
  readonly status: number;
  readonly retryAfter: string | undefined;
  /** The body, cut at `maxBodyBytes`. */
  readonly body: Buffer;
  /** The connection may carry another request (HTTP/1.1, no `Connection: close`, framed body). */
  readonly reusable: boolean;
}

// A status line and headers longer than this are not a collector's answer.
const MAX_HEAD_BYTES = 64 * 1024;
const MAX_CHUNK_LINE_BYTES = 4096;

const enum Phase {
  Head,
  FixedBody,
  ChunkSize,
  ChunkData,
  ChunkDataEnd,
  Trailers,
  UntilClose,
  Done,
}

const CRLF = Buffer.from('\r\n', 'latin1');
const HEAD_END = Buffer.from('\r\n\r\n', 'latin1');
const STATUS_LINE = /^HTTP\/1\.([01]) ([1-9]\d\d)(?: |$)/;

export class ResponseReader {
  readonly #maxBodyBytes: number;
  #phase = Phase.Head;
  // Bytes of an unfinished head or chunk-size/trailer line, kept across chunks.
  #pending: Buffer = Buffer.alloc(0);
  #status = 0;
  #retryAfter: string | undefined;
  #reusable = false;
  #remaining = 0;
  #body: Buffer[] = [];
  #bodyBytes = 0;
  #response: Http1Response | undefined;

  constructor(maxBodyBytes: number) {
    this.#maxBodyBytes = maxBodyBytes;
  }

  /** The response, once it is complete. */
  get response(): Http1Response | undefined {
    return this.#response;
  }

  /** True while the body runs to the end of the connection (no length was given). */
  get readsUntilClose(): boolean {
    return this.#phase === Phase.UntilClose;
  }

  /**
   * Reads `chunk` (which the caller may reuse afterwards). Returns how many bytes the
   * response did not need (bytes after its end: the caller must not reuse the connection);
   * throws on a malformed response.
   */
  feed(chunk: Uint8Array): number {
    let at = 0;
    while (at < chunk.length) {
      switch (this.#phase) {
        case Phase.Head:
          at = this.#readLine(chunk, at, HEAD_END, MAX_HEAD_BYTES, (head) => this.#onHead(head));
          break;
        case Phase.FixedBody:
        case Phase.ChunkData: {
          const n = Math.min(this.#remaining, chunk.length - at);
          this.#keep(chunk.subarray(at, at + n));
          at += n;
          this.#remaining -= n;
          if (this.#remaining === 0) {
            if (this.#phase === Phase.FixedBody) this.#finish();
            else this.#phase = Phase.ChunkDataEnd;
          }
          break;
        }
        case Phase.ChunkDataEnd:
          at = this.#readLine(chunk, at, CRLF, 2, (line) => {
            if (line.length !== 0) throw new Error('malformed chunked body');
            this.#phase = Phase.ChunkSize;
          });
          break;
        case Phase.ChunkSize:
          at = this.#readLine(chunk, at, CRLF, MAX_CHUNK_LINE_BYTES, (line) => this.#onChunkSize(line));
          break;
        case Phase.Trailers:
          at = this.#readLine(chunk, at, CRLF, MAX_HEAD_BYTES, (line) => {
            if (line.length === 0) this.#finish();
          });
          break;
        case Phase.UntilClose:
          this.#keep(chunk.subarray(at));
          at = chunk.length;
          break;
        case Phase.Done:
          return chunk.length - at;
      }
    }
    return 0;
  }

  /** The connection ended: completes a body that runs until close; false if the response was cut short. */
  end(): boolean {
    if (this.#phase === Phase.UntilClose) this.#finish();
    return this.#phase === Phase.Done;
  }

  /**
   * Finds `terminator` in what is pending plus `chunk` from `at`, hands the text before it
   * to `onLine`, and returns the index after it; without one, keeps the bytes (at most
   * `max`) and returns the chunk's length.
   */
  #readLine(chunk: Uint8Array, at: number, terminator: Buffer, max: number, onLine: (text: Buffer) => void): number {
    const rest = Buffer.from(chunk.buffer, chunk.byteOffset + at, chunk.length - at);
    const joined = this.#pending.length === 0 ? rest : Buffer.concat([this.#pending, rest]);
    const end = joined.indexOf(terminator);
    if (end === -1) {
      if (joined.length > max + terminator.length) throw new Error('response line or head too long');
      this.#pending = Buffer.from(joined); // a copy: the caller may reuse `chunk`
      return chunk.length;
    }
    if (end > max) throw new Error('response line or head too long');
    const consumedFromChunk = end + terminator.length - this.#pending.length;
    this.#pending = Buffer.alloc(0);
    onLine(joined.subarray(0, end));
    return at + consumedFromChunk;
  }

  #onHead(head: Buffer): void {
    const lines = head.toString('latin1').split('\r\n');
    const status = STATUS_LINE.exec(lines[0]!);
    if (status === null) throw new Error('malformed response status line');
    const code = Number(status[2]);
    let contentLength: number | undefined;
    let transferEncoding: string | undefined;
    let connection = '';
    let retryAfter: string | undefined;
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const colon = line.indexOf(':');
      if (colon <= 0) throw new Error('malformed response header');
      const name = line.slice(0, colon).toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === 'content-length') {
        if (!/^\d{1,15}$/.test(value) || (contentLength !== undefined && contentLength !== Number(value))) {
          throw new Error('malformed Content-Length');
        }
        contentLength = Number(value);
      } else if (name === 'transfer-encoding') {
        transferEncoding = transferEncoding === undefined ? value : `${transferEncoding}, ${value}`;
      } else if (name === 'connection') {
        connection += `${value.toLowerCase()},`;
      } else if (name === 'retry-after' && retryAfter === undefined) {
        retryAfter = value;
      }
    }
    if (code < 200) {
      // 100 Continue and friends precede the real answer; 101 would switch protocols, which
      // this client never asks for.
      if (code === 101) throw new Error('unexpected 101 Switching Protocols');
      return;
    }
    this.#status = code;
    this.#retryAfter = retryAfter;
    const closes = status[1] === '0' || /(^|[\s,])close\s*,/.test(connection);
    if (code === 204 || code === 304) {
      this.#reusable = !closes;
      this.#finish();
    } else if (transferEncoding !== undefined) {
      // RFC 9112 §6.3: chunked must be the last coding, or the body runs until close.
      const codings = transferEncoding.toLowerCase().split(',').map((c) => c.trim());
      if (codings[codings.length - 1] === 'chunked') {
        this.#reusable = !closes;
        this.#phase = Phase.ChunkSize;
      } else {
        this.#phase = Phase.UntilClose;
      }
    } else if (contentLength !== undefined) {
      this.#reusable = !closes;
      this.#remaining = contentLength;
      if (contentLength === 0) this.#finish();
      else this.#phase = Phase.FixedBody;
    } else {
      this.#phase = Phase.UntilClose;
    }
  }

  #onChunkSize(line: Buffer): void {
    const text = line.toString('latin1');
    const semicolon = text.indexOf(';');
    const hex = (semicolon === -1 ? text : text.slice(0, semicolon)).trim();
    if (!/^[0-9a-fA-F]{1,12}$/.test(hex)) throw new Error('malformed chunk size');
    const size = parseInt(hex, 16);
    if (size === 0) {
      this.#phase = Phase.Trailers;
    } else {
      this.#remaining = size;
      this.#phase = Phase.ChunkData;
    }
  }

  #keep(bytes: Uint8Array): void {
    const room = this.#maxBodyBytes - this.#bodyBytes;
    if (room <= 0 || bytes.length === 0) return;
    const kept = bytes.length <= room ? bytes : bytes.subarray(0, room);
    this.#body.push(Buffer.from(kept)); // a copy: the caller may reuse its buffer
    this.#bodyBytes += kept.length;
  }

  #finish(): void {
    this.#phase = Phase.Done;
    this.#response = {
      status: this.#status,
      retryAfter: this.#retryAfter,
      body: this.#body.length === 1 ? this.#body[0]! : Buffer.concat(this.#body),
      reusable: this.#reusable,
    };
  }
}
