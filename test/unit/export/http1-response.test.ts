import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ResponseReader, type Http1Response } from '../../../src/export/http1-response';

const MAX_BODY = 64;

/** Feeds `text` in the given pieces; returns the response, the extra byte count, and the reader. */
function read(pieces: string[], max = MAX_BODY): { response: Http1Response | undefined; extra: number; reader: ResponseReader } {
  const reader = new ResponseReader(max);
  let extra = 0;
  for (const piece of pieces) extra += reader.feed(Buffer.from(piece, 'latin1'));
  return { response: reader.response, extra, reader };
}

/** `text` cut at the given offsets. */
function cut(text: string, offsets: number[]): string[] {
  const points = [...new Set(offsets.map((o) => o % (text.length + 1)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let from = 0;
  for (const p of points) {
    pieces.push(text.slice(from, p));
    from = p;
  }
  pieces.push(text.slice(from));
  return pieces;
}

const fixed = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world';
const chunked = 'HTTP/1.1 503 Service Unavailable\r\nRetry-After: 7\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n';

describe('ResponseReader', () => {
  it('reads a Content-Length response and keeps the connection', () => {
    const { response, extra } = read([fixed]);
    expect(response).toEqual({ status: 200, retryAfter: undefined, body: Buffer.from('hello world'), reusable: true });
    expect(extra).toBe(0);
  });

  it('reads a chunked response with extensions and trailers, and Retry-After', () => {
    const { response } = read([chunked]);
    expect(response).toEqual({ status: 503, retryAfter: '7', body: Buffer.from('hello world'), reusable: true });
  });

  it('gives the same response however the bytes are split', () => {
    fc.assert(
      fc.property(fc.constantFrom(fixed, chunked), fc.array(fc.nat(), { maxLength: 12 }), (text, offsets) => {
        expect(read(cut(text, offsets)).response).toEqual(read([text]).response);
      }),
    );
  });

  it('skips interim 1xx responses', () => {
    const { response } = read(['HTTP/1.1 100 Continue\r\n\r\n', fixed]);
    expect(response?.status).toBe(200);
    expect(response?.body.toString()).toBe('hello world');
  });

  it('has no body for 204 and 304', () => {
    for (const status of [204, 304]) {
      const { response, extra } = read([`HTTP/1.1 ${status} X\r\n\r\n`]);
      expect(response).toMatchObject({ status, reusable: true });
      expect(response?.body.length).toBe(0);
      expect(extra).toBe(0);
    }
  });

  it('does not reuse a connection after Connection: close, HTTP/1.0, or a body that runs to the close', () => {
    expect(read(['HTTP/1.1 200 OK\r\nConnection: keep-alive, close\r\nContent-Length: 0\r\n\r\n']).response?.reusable).toBe(false);
    expect(read(['HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n']).response?.reusable).toBe(false);
    const { response, reader } = read(['HTTP/1.1 200 OK\r\n\r\npartial ', 'body']);
    expect(response).toBeUndefined();
    expect(reader.readsUntilClose).toBe(true);
    expect(reader.end()).toBe(true);
    expect(reader.response).toMatchObject({ status: 200, reusable: false });
    expect(reader.response?.body.toString()).toBe('partial body');
  });

  it('takes a body framed neither by chunked nor length as running to the close', () => {
    const { reader } = read(['HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nContent-Length: 3\r\n\r\nabcdef']);
    expect(reader.readsUntilClose).toBe(true);
  });

  it('keeps only the first maxBodyBytes of the body but reads all of it', () => {
    const body = 'x'.repeat(200);
    const { response, extra } = read([`HTTP/1.1 400 Bad\r\nContent-Length: 200\r\n\r\n${body}`, 'HTTP/1.1'], 50);
    expect(response?.body.length).toBe(50);
    expect(extra).toBe('HTTP/1.1'.length);
  });

  it('is cut short when the connection ends before the response does', () => {
    const { reader } = read(['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc']);
    expect(reader.end()).toBe(false);
    expect(reader.response).toBeUndefined();
    expect(read(['HTTP/1.1 200 OK\r\nContent-Le']).reader.end()).toBe(false);
  });

  it('rejects what is not an HTTP/1.x response', () => {
    const bad = [
      'SSH-2.0-OpenSSH\r\n\r\n',
      'HTTP/2 200\r\n\r\n',
      'HTTP/1.1 20 OK\r\n\r\n',
      'HTTP/1.1 200 OK\r\nno colon here\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n',
      'HTTP/1.1 101 Switching Protocols\r\n\r\n',
    ];
    for (const text of bad) expect(() => read([text]), text).toThrow(Error);
  });

  it('bounds what it holds while waiting for the end of a head or a chunk line', () => {
    expect(() => read(['HTTP/1.1 200 OK\r\n', `X: ${'a'.repeat(70 * 1024)}`])).toThrow(/too long/);
    expect(() => read(['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n', '1'.repeat(5000)])).toThrow(/too long/);
  });

  it('never throws anything but an Error on arbitrary bytes, and never keeps more than the bounds', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 8 }), fc.boolean(), (chunks, prefixed) => {
        const reader = new ResponseReader(MAX_BODY);
        try {
          if (prefixed) reader.feed(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'));
          for (const c of chunks) reader.feed(c);
          reader.end();
        } catch (err) {
          expect(err).toBeInstanceOf(Error);
        }
        if (reader.response) expect(reader.response.body.length).toBeLessThanOrEqual(MAX_BODY);
      }),
    );
  });
});
