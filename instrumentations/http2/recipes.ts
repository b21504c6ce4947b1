import type { IncomingHttpHeaders } from 'node:http2';
import {
  ATTR_CLIENT_ADDRESS,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_METHOD_ORIGINAL,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_FULL,
  ATTR_URL_PATH,
  ATTR_URL_QUERY,
  ATTR_URL_SCHEME,
  ATTR_USER_AGENT_ORIGINAL,
  HTTP_REQUEST_METHOD_OTHER,
  buildFullUrl,
  hostAddress,
  hostPort,
  normalizeMethod,
  redactQuery,
  type Attributes,
} from '../../src/instrument';

// Pure functions from HTTP/2 pseudo-headers and a session's origin to span attributes,
// the same names and values as the http instrumentation's. No I/O, no context.

/** `network.protocol.version` of every HTTP/2 exchange. */
const HTTP2_VERSION = '2';

/** Where a client session connects: from the authority given to `http2.connect`. */
export interface Origin {
  readonly scheme: string;
  readonly host: string;
  readonly port: number;
}

/** The origin of `http2.connect(authority)` (a URL or its string), or undefined when unparsable. */
export function originOf(authority: unknown): Origin | undefined {
  let url: URL;
  try {
    url = authority instanceof URL ? authority : new URL(String(authority));
  } catch {
    return undefined;
  }
  const scheme = url.protocol === 'https:' ? 'https' : 'http';
  const host = url.hostname.charCodeAt(0) === 91 /* [ */ ? url.hostname.slice(1, -1) : url.hostname;
  return { scheme, host, port: url.port === '' ? (scheme === 'https' ? 443 : 80) : Number(url.port) };
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;
}

/** A header of an outgoing headers object or flat raw array (`[name, value, ...]`). */
export function outgoingHeader(headers: unknown, name: string): string | undefined {
  if (headers == null || typeof headers !== 'object') return undefined;
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) if (String(headers[i]).toLowerCase() === name) return text(headers[i + 1]);
    return undefined;
  }
  return text((headers as Record<string, unknown>)[name]);
}

/**
 * Every value of header `name` (lower-case) in an outgoing headers object or flat raw
 * array, as strings, whatever the case of its name there: Node sends `X-Id` as `x-id`, and
 * keeps the app's case in `stream.sentHeaders`.
 */
export function outgoingHeaderValues(headers: unknown, name: string): string[] | undefined {
  if (headers == null || typeof headers !== 'object') return undefined;
  let values: string[] | undefined;
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) if (String(headers[i]).toLowerCase() === name) values = addValues(values, headers[i + 1]);
    return values;
  }
  const record = headers as Record<string, unknown>;
  for (const key of Object.keys(record)) if (key.toLowerCase() === name) values = addValues(values, record[key]);
  return values;
}

function addValues(values: string[] | undefined, v: unknown): string[] | undefined {
  if (v == null) return values;
  const out = values ?? [];
  if (Array.isArray(v)) for (const x of v) out.push(String(x));
  else out.push(String(v));
  return out;
}

/** The request's path without its query (`:path` up to `?`), as WAYMARK_HTTP_IGNORE_PATHS matches it. */
export function requestPath(headers: IncomingHttpHeaders): string {
  const target = text(headers[':path']) ?? '/';
  const queryAt = target.indexOf('?');
  return queryAt < 0 ? target : target.slice(0, queryAt);
}

/** Attributes of a CLIENT span: method and path from the request's pseudo-headers. */
export function clientSpanAttributes(origin: Origin | undefined, headers: unknown): Attributes {
  const raw = outgoingHeader(headers, ':method') ?? 'GET';
  const method = normalizeMethod(raw);
  const attrs: Attributes = { [ATTR_HTTP_REQUEST_METHOD]: method, [ATTR_NETWORK_PROTOCOL_VERSION]: HTTP2_VERSION };
  if (method === HTTP_REQUEST_METHOD_OTHER) attrs[ATTR_HTTP_REQUEST_METHOD_ORIGINAL] = raw;
  if (origin !== undefined) {
    attrs[ATTR_SERVER_ADDRESS] = origin.host;
    attrs[ATTR_SERVER_PORT] = origin.port;
    attrs[ATTR_URL_FULL] = buildFullUrl(origin.scheme, origin.host, origin.port, outgoingHeader(headers, ':path') ?? '/');
  }
  return attrs;
}

/**
 * Attributes of a SERVER span from the request's headers; `secure` for a TLS server (the
 * scheme when `:scheme` is absent), `peer` the socket's remote address, `path` the
 * request's `requestPath` when the caller has it already.
 */
export function serverSpanAttributes(
  headers: IncomingHttpHeaders,
  secure: boolean,
  peer: string | undefined,
  path: string = requestPath(headers),
): Attributes {
  const raw = text(headers[':method']);
  const method = normalizeMethod(raw);
  const scheme = text(headers[':scheme']) ?? (secure ? 'https' : 'http');
  const target = text(headers[':path']) ?? '/';
  // `path` is the target up to its `?`: anything longer is a query.
  const queryAt = target.length > path.length ? path.length : -1;
  const attrs: Attributes = {
    [ATTR_HTTP_REQUEST_METHOD]: method,
    [ATTR_URL_SCHEME]: scheme,
    [ATTR_URL_PATH]: path,
    [ATTR_NETWORK_PROTOCOL_VERSION]: HTTP2_VERSION,
  };
  if (method === HTTP_REQUEST_METHOD_OTHER && raw !== undefined) attrs[ATTR_HTTP_REQUEST_METHOD_ORIGINAL] = raw;
  if (queryAt >= 0) attrs[ATTR_URL_QUERY] = redactQuery(target.slice(queryAt + 1));
  const host = text(headers[':authority']) ?? text(headers.host);
  if (host !== undefined && host.length > 0) {
    attrs[ATTR_SERVER_ADDRESS] = hostAddress(host);
    attrs[ATTR_SERVER_PORT] = hostPort(host) ?? (scheme === 'https' ? 443 : 80);
  }
  const ua = text(headers['user-agent']);
  if (ua !== undefined) attrs[ATTR_USER_AGENT_ORIGINAL] = ua;
  const client = clientAddress(headers, peer);
  if (client !== undefined) attrs[ATTR_CLIENT_ADDRESS] = client;
  return attrs;
}

/** `client.address`: the first X-Forwarded-For entry, else the socket's peer. */
function clientAddress(headers: IncomingHttpHeaders, peer: string | undefined): string | undefined {
  const xff = text(headers['x-forwarded-for']);
  if (xff !== undefined && xff.length > 0) {
    const comma = xff.indexOf(',');
    const first = (comma < 0 ? xff : xff.slice(0, comma)).trim();
    if (first.length > 0) return first;
  }
  return peer;
}
