import * as net from 'node:net';
import type * as tls from 'node:tls';
import { ResponseReader, type Http1Response } from './http1-response';

/**
 * The exporter's HTTP/1.1 client: POSTs to one origin over a small pool of keep-alive
 * connections, one request at a time per connection, each written with a single write.
 *
 * Why not node:http. In an application whose only HTTP client is the exporter (a
 * hello-world under load, many small services), ClientRequest and client sockets would
 * run through the same stream and http functions as the application's own responses.
 * V8 then deoptimizes those hot functions ("wrong map") and reoptimizes them for both
 * kinds of object, and every request of the application pays. On a Fastify hello-world
 * here, sending one batch in twenty through node:http cost as much as sending all of them
 * (about 7 µs of server CPU per request); this client, which reads through `onread`
 * instead of a Readable stream and parses responses itself, about 2.5 µs.
 */

export interface Http1ClientOptions {
  url: URL;
  /** Header lines sent with every request (validated by the caller). */
  headers: Record<string, string>;
  /** For https: the configured CA and client certificate; Node's defaults without. */
  secureContext?: tls.SecureContext | undefined;
  /** GET for a poll (sent without a body); POST, the default, for exports. */
  method?: 'GET' | 'POST';
}

// Idle keep-alive connections kept for reuse; one export at a time needs one.
const MAX_IDLE = 2;
// What `onread` reads into (one per connection: a response is consumed within the callback).
const READ_BUFFER_BYTES = 16 * 1024;

const EMPTY = Buffer.alloc(0);

/** An error carrying a Node-style `code`, as socket errors do. */
export function codedError(message: string, code: string): NodeJS.ErrnoException {
  const error = new Error(message) as NodeJS.ErrnoException;
  error.code = code;
  return error;
}

interface Exchange {
  reader: ResponseReader;
  resolve(response: Http1Response): void;
  reject(error: Error): void;
}

class Connection {
  readonly socket: net.Socket;
  #exchange: Exchange | undefined;
  #onIdleEnd: (() => void) | undefined;

  constructor(url: URL, secureContext: tls.SecureContext | undefined, onIdleEnd: (c: Connection) => void) {
    const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    const secure = url.protocol === 'https:';
    const port = Number(url.port) || (secure ? 443 : 80);
    if (secure) {
      // TLS sockets deliver plaintext through 'data' only.
      const tlsModule = require('node:tls') as typeof tls;
      const servername = net.isIP(host) === 0 ? host : undefined;
      this.socket = tlsModule.connect({ host, port, servername, ALPNProtocols: ['http/1.1'], secureContext });
      this.socket.on('data', (chunk: Buffer) => this.#onBytes(chunk));
    } else {
      const buffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
      this.socket = net.connect({
        host,
        port,
        onread: {
          buffer,
          callback: (n: number, buf: Uint8Array): boolean => {
            this.#onBytes(buf.subarray(0, n));
            return true;
          },
        },
      });
    }
    this.socket.setNoDelay(true);
    this.#onIdleEnd = () => onIdleEnd(this);
    this.socket.on('error', (error) => this.#fail(error));
    this.socket.on('end', () => this.#onEnd());
    this.socket.on('close', () => this.#onEnd());
  }

  get usable(): boolean {
    return !this.socket.destroyed && this.socket.writable && this.#exchange === undefined;
  }

  /** Sends one request; resolves with its response or rejects with a coded error. */
  exchange(request: Buffer, maxBodyBytes: number): Promise<Http1Response> {
    return new Promise((resolve, reject) => {
      this.#exchange = { reader: new ResponseReader(maxBodyBytes), resolve, reject };
      this.socket.ref();
      this.socket.write(request);
    });
  }

  destroy(error?: Error): void {
    if (error !== undefined) this.#fail(error);
    this.socket.destroy();
  }

  #onBytes(bytes: Uint8Array): void {
    const exchange = this.#exchange;
    if (exchange === undefined) {
      // Nothing was asked: a server that talks out of turn is not one to reuse.
      this.socket.destroy();
      return;
    }
    let extra: number;
    try {
      extra = exchange.reader.feed(bytes);
    } catch (err) {
      this.destroy(err as Error);
      return;
    }
    const response = exchange.reader.response;
    if (response === undefined) return;
    this.#exchange = undefined;
    if (!response.reusable || extra > 0) this.socket.destroy();
    exchange.resolve(response);
  }

  #onEnd(): void {
    const exchange = this.#exchange;
    if (exchange === undefined) {
      this.#onIdleEnd?.();
      this.#onIdleEnd = undefined;
      return;
    }
    this.#exchange = undefined;
    const response = exchange.reader.end() ? exchange.reader.response : undefined;
    this.socket.destroy();
    // Node's own client calls a connection closed before a whole response "socket hang up".
    if (response === undefined) exchange.reject(codedError('socket hang up', 'ECONNRESET'));
    else exchange.resolve(response);
  }

  #fail(error: Error): void {
    const exchange = this.#exchange;
    this.#exchange = undefined;
    exchange?.reject(error);
  }
}

export class Http1Client {
  readonly #url: URL;
  readonly #secureContext: tls.SecureContext | undefined;
  readonly #head: string;
  readonly #get: boolean;
  readonly #idle: Connection[] = [];
  readonly #busy = new Set<Connection>();
  #closed = false;

  constructor(options: Http1ClientOptions) {
    this.#url = options.url;
    this.#secureContext = options.secureContext;
    this.#get = options.method === 'GET';
    let head = `${this.#get ? 'GET' : 'POST'} ${options.url.pathname}${options.url.search} HTTP/1.1\r\nHost: ${options.url.host}\r\nConnection: keep-alive\r\n`;
    for (const [name, value] of Object.entries(options.headers)) head += `${name}: ${value}\r\n`;
    this.#head = head;
  }

  /**
   * Sends `body` (nothing for a GET client); rejects with a coded error on a connection failure, and with ETIMEDOUT
   * (closing the connection) when no whole response arrived within `timeoutMs`.
   */
  post(body: Buffer, timeoutMs: number, maxBodyBytes: number): Promise<Http1Response> {
    if (this.#closed) return Promise.reject(codedError('exporter client is closed', 'ECONNABORTED'));
    const connection = this.#take();
    // A GET carries no body, so no Content-Length (RFC 9110 §8.6).
    const head = Buffer.from(this.#get ? `${this.#head}\r\n` : `${this.#head}Content-Length: ${body.length}\r\n\r\n`, 'latin1');
    this.#busy.add(connection);
    // Destroying the connection with the error rejects the exchange: no second promise to race.
    const timer = setTimeout(() => {
      connection.destroy(codedError(`request timed out after ${timeoutMs} ms`, 'ETIMEDOUT'));
    }, timeoutMs);
    return connection.exchange(Buffer.concat([head, body]), maxBodyBytes).finally(() => {
      clearTimeout(timer);
      this.#busy.delete(connection);
      this.#release(connection);
    });
  }

  /** A GET (for a client made with method GET): the same as `post` without a body. */
  get(timeoutMs: number, maxBodyBytes: number): Promise<Http1Response> {
    return this.post(EMPTY, timeoutMs, maxBodyBytes);
  }

  /** Closes every connection; requests in flight reject. */
  close(): void {
    this.#closed = true;
    const error = codedError('exporter client is closed', 'ECONNABORTED');
    for (const c of this.#idle.splice(0)) c.destroy(error);
    for (const c of this.#busy) c.destroy(error);
    this.#busy.clear();
  }

  #take(): Connection {
    while (this.#idle.length > 0) {
      const c = this.#idle.pop()!;
      if (c.usable) return c;
      c.destroy();
    }
    return new Connection(this.#url, this.#secureContext, (c) => this.#forget(c));
  }

  /** An idle connection is unreferenced, so it never keeps the process alive. */
  #release(c: Connection): void {
    if (this.#closed || !c.usable || this.#idle.length >= MAX_IDLE) {
      c.destroy();
      return;
    }
    c.socket.unref();
    this.#idle.push(c);
  }

  #forget(c: Connection): void {
    const i = this.#idle.indexOf(c);
    if (i !== -1) this.#idle.splice(i, 1);
    c.destroy();
  }
}
