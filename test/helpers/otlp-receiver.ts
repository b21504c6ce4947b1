import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer, type ServerOptions as TlsServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { gunzipSync } from 'node:zlib';
// The official protobufjs types generated from opentelemetry-proto, shipped by
// @opentelemetry/otlp-transformer (dev dependency alias `otlp-transformer`).
import * as generated from 'otlp-transformer/build/src/generated/root';

/**
 * A local OTLP/HTTP trace receiver for tests: it decodes what it receives with the
 * official generated decoder (protobuf) or the official generated types (JSON), and
 * exposes ids as lowercase hex in both cases so tests compare the same shape.
 */

/** The static methods protobufjs generates for a message type (root.d.ts types the root only as `Root`). */
export interface GeneratedMessageType {
  decode(body: Uint8Array): object;
  encode(message: object): { finish(): Uint8Array };
  fromObject(object: Record<string, unknown>): object;
  toObject(message: object, options?: Record<string, unknown>): Record<string, unknown>;
  verify(message: object): string | null;
}

const collector = (
  generated as unknown as {
    opentelemetry: { proto: { collector: { trace: { v1: Record<'ExportTraceServiceRequest' | 'ExportTraceServiceResponse', GeneratedMessageType> } } } };
  }
).opentelemetry.proto.collector.trace.v1;

/** The official ExportTraceServiceRequest type. */
export const RequestType = collector.ExportTraceServiceRequest;
const ResponseType = collector.ExportTraceServiceResponse;

/** The shape `toObject` gives, with ids as hex and 64-bit integers as decimal strings. */
export interface DecodedAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string;
  doubleValue?: number;
  arrayValue?: { values?: DecodedAnyValue[] };
  kvlistValue?: { values?: DecodedKeyValue[] };
  bytesValue?: string;
}
export interface DecodedKeyValue {
  key: string;
  value?: DecodedAnyValue;
}
export interface DecodedEvent {
  timeUnixNano: string;
  name: string;
  attributes: DecodedKeyValue[];
  droppedAttributesCount?: number;
}
export interface DecodedLink {
  traceId: string;
  spanId: string;
  traceState?: string;
  attributes: DecodedKeyValue[];
  droppedAttributesCount?: number;
  flags?: number;
}
export interface DecodedSpan {
  traceId: string;
  spanId: string;
  traceState?: string;
  parentSpanId?: string;
  flags?: number;
  name: string;
  kind?: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: DecodedKeyValue[];
  droppedAttributesCount?: number;
  events: DecodedEvent[];
  droppedEventsCount?: number;
  links: DecodedLink[];
  droppedLinksCount?: number;
  status?: { code?: number; message?: string };
}
export interface DecodedScope {
  name?: string;
  version?: string;
  attributes: DecodedKeyValue[];
}
export interface DecodedScopeSpans {
  scope?: DecodedScope;
  spans: DecodedSpan[];
  schemaUrl?: string;
}
export interface DecodedResourceSpans {
  resource?: { attributes: DecodedKeyValue[]; droppedAttributesCount?: number };
  scopeSpans: DecodedScopeSpans[];
  schemaUrl?: string;
}
export interface DecodedRequest {
  resourceSpans: DecodedResourceSpans[];
}

/** A decoded span with the resource and scope it was sent under. */
export interface ReceivedSpan extends DecodedSpan {
  resource: DecodedKeyValue[];
  scope: DecodedScope;
  scopeSchemaUrl?: string;
}

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The client's port: equal across requests when a connection was reused. */
  remotePort: number | undefined;
  /** The body as sent (possibly gzipped). */
  rawBody: Buffer;
  /** The body after Content-Encoding was undone. */
  body: Buffer;
  decoded: DecodedRequest | undefined;
  decodeError: Error | undefined;
}

export interface ResponderReply {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

/** Decides the answer to one request; `index` counts requests from 0. */
export type Responder = (
  req: ReceivedRequest,
  index: number,
) => ResponderReply | 'hang' | 'reset' | undefined | Promise<ResponderReply | 'hang' | 'reset' | undefined>;

export interface OtlpReceiver {
  readonly url: string;
  readonly port: number;
  readonly requests: ReceivedRequest[];
  spans(): ReceivedSpan[];
  waitForSpans(n: number, timeoutMs?: number): Promise<ReceivedSpan[]>;
  waitForRequests(n: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  setResponder(fn: Responder | undefined): void;
  close(): Promise<void>;
}

const TO_OBJECT = { longs: String, enums: Number, arrays: true, defaults: false };

/** Decodes an OTLP protobuf trace request with the official generated decoder. */
export function decodeProtoRequest(body: Uint8Array): DecodedRequest {
  const message = RequestType.decode(body);
  return normalize(RequestType.toObject(message, TO_OBJECT));
}

/**
 * Decodes an OTLP/JSON trace request: ids must be hex (OTLP JSON encoding, not proto3's
 * base64); the rest goes through the official generated `fromObject`.
 */
export function decodeJsonRequest(text: string): DecodedRequest {
  const parsed: unknown = JSON.parse(text);
  const withBytes = mapIds(parsed, hexToBytes);
  const message = RequestType.fromObject(withBytes as Record<string, unknown>);
  const problem = RequestType.verify(message);
  if (problem) throw new Error(`invalid OTLP JSON: ${problem}`);
  return normalize(RequestType.toObject(message, TO_OBJECT));
}

/** Encodes an ExportTraceServiceResponse with the official encoder (for partial_success tests). */
export function encodeProtoResponse(partial: { rejectedSpans: number; errorMessage: string }): Uint8Array {
  return ResponseType.encode(ResponseType.fromObject({ partialSuccess: partial })).finish();
}

/** Flattens decoded spans, each with its resource attributes and scope. */
export function flattenSpans(request: DecodedRequest): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  for (const rs of request.resourceSpans) {
    for (const ss of rs.scopeSpans) {
      for (const span of ss.spans) {
        spans.push({ ...span, resource: rs.resource?.attributes ?? [], scope: ss.scope ?? { attributes: [] }, scopeSchemaUrl: ss.schemaUrl });
      }
    }
  }
  return spans;
}

/** Decoded KeyValues as a plain map: ints become numbers, arrays become arrays. */
export function attributeMap(kvs: readonly DecodedKeyValue[]): Record<string, unknown> {
  const map: Record<string, unknown> = {};
  for (const kv of kvs) map[kv.key] = plainValue(kv.value);
  return map;
}

function plainValue(v: DecodedAnyValue | undefined): unknown {
  if (v === undefined) return undefined;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.arrayValue !== undefined) return (v.arrayValue.values ?? []).map((item) => (isEmpty(item) ? null : plainValue(item)));
  if (v.kvlistValue !== undefined) return attributeMap(v.kvlistValue.values ?? []);
  if (v.bytesValue !== undefined) return v.bytesValue;
  return undefined;
}

function isEmpty(v: DecodedAnyValue): boolean {
  return Object.keys(v).length === 0;
}

const ID_KEYS = new Set(['traceId', 'spanId', 'parentSpanId']);

/** Applies `fn` to every trace/span id in a request-shaped object (spans and links). */
function mapIds(value: unknown, fn: (v: unknown, key: string) => unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => mapIds(item, fn));
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = ID_KEYS.has(key) ? fn(v, key) : mapIds(v, fn);
  return out;
}

function hexToBytes(v: unknown, key: string): Buffer {
  const expected = key === 'traceId' ? 32 : 16;
  if (typeof v !== 'string' || v.length !== expected || !/^[0-9a-f]*$/.test(v)) {
    throw new Error(`${key} must be ${expected} lowercase hex characters in OTLP JSON, got ${JSON.stringify(v)}`);
  }
  return Buffer.from(v, 'hex');
}

function normalize(obj: unknown): DecodedRequest {
  return mapIds(obj, (v) => Buffer.from(v as Uint8Array).toString('hex')) as DecodedRequest;
}

function decodeBody(req: ReceivedRequest): void {
  const type = String(req.headers['content-type'] ?? '');
  try {
    if (type.startsWith('application/x-protobuf')) req.decoded = decodeProtoRequest(req.body);
    else if (type.startsWith('application/json')) req.decoded = decodeJsonRequest(req.body.toString('utf8'));
    else req.decodeError = new Error(`unexpected content-type ${type}`);
  } catch (err) {
    req.decodeError = err as Error;
  }
}

/**
 * Starts a receiver on 127.0.0.1 with an ephemeral port; it answers 200 with an empty body
 * unless told otherwise. With `tls` it is an HTTPS server (its url names localhost).
 */
export async function startOtlpReceiver(opts: { responder?: Responder; tls?: TlsServerOptions } = {}): Promise<OtlpReceiver> {
  const requests: ReceivedRequest[] = [];
  let responder = opts.responder;
  const waiters = new Set<() => void>();
  const hanging = new Set<ServerResponse>();

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void handle(req, res, Buffer.concat(chunks));
    });
  };
  const server = opts.tls ? createTlsServer(opts.tls, onRequest) : createServer(onRequest);

  async function handle(req: IncomingMessage, res: ServerResponse, rawBody: Buffer): Promise<void> {
    const received: ReceivedRequest = {
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      remotePort: req.socket.remotePort,
      rawBody,
      body: rawBody,
      decoded: undefined,
      decodeError: undefined,
    };
    try {
      if (req.headers['content-encoding'] === 'gzip') received.body = gunzipSync(rawBody);
      decodeBody(received);
    } catch (err) {
      received.decodeError = err as Error;
    }
    const index = requests.length;
    requests.push(received);
    for (const wake of waiters) wake();

    const reply = responder ? await responder(received, index) : undefined;
    if (reply === 'hang') {
      hanging.add(res);
      return;
    }
    if (reply === 'reset') {
      req.socket.destroy();
      return;
    }
    const status = reply?.status ?? (received.decodeError ? 400 : 200);
    res.writeHead(status, reply?.headers ?? {});
    res.end(reply?.body ?? '');
  }

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;

  function spans(): ReceivedSpan[] {
    return requests.flatMap((r) => (r.decoded ? flattenSpans(r.decoded) : []));
  }

  function waitFor<T>(ready: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const value = ready();
        if (value === undefined) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(value);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  }

  return {
    url: `${opts.tls ? 'https://localhost' : 'http://127.0.0.1'}:${port}/v1/traces`,
    port,
    requests,
    spans,
    waitForSpans: (n, timeoutMs = 5000) =>
      waitFor(() => {
        const all = spans();
        return all.length >= n ? all : undefined;
      }, `${n} spans`, timeoutMs),
    waitForRequests: (n, timeoutMs = 5000) =>
      waitFor(() => (requests.length >= n ? requests : undefined), `${n} requests`, timeoutMs),
    setResponder: (fn) => {
      responder = fn;
    },
    close: async () => {
      for (const res of hanging) res.socket?.destroy();
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

// A receiver in a child process, for code that blocks this one (exportSync): it answers 200
// and reports each request on stdout as one JSON line.
const CHILD_RECEIVER = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    process.stdout.write(JSON.stringify({ path: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('base64') }) + '\\n');
    res.end();
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));`;

/** What the child-process receiver saw of one request (body as sent, possibly gzipped). */
export interface ChildReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Starts a receiver in another process; `nextRequest()` resolves with each request in turn. */
export async function startChildProcessReceiver(): Promise<{
  url: string;
  nextRequest(): Promise<ChildReceivedRequest>;
  close(): void;
}> {
  const child = spawn(process.execPath, ['-e', CHILD_RECEIVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const nextLine = async (): Promise<string> => {
    const { value, done } = await lines.next();
    if (done) throw new Error('child receiver exited');
    return value as string;
  };
  const port = Number(await nextLine());
  return {
    url: `http://127.0.0.1:${port}/v1/traces`,
    nextRequest: async () => {
      const seen = JSON.parse(await nextLine()) as { path: string; headers: IncomingHttpHeaders; body: string };
      return { path: seen.path, headers: seen.headers, body: Buffer.from(seen.body, 'base64') };
    },
    close: () => {
      child.kill();
    },
  };
}
