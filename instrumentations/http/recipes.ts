import type { ClientRequest, IncomingHttpHeaders, IncomingMessage } from 'node:http';
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

export { normalizeMethod, spanNameMethod } from '../../src/instrument';

// Pure functions from a request to span name parts and attributes. No I/O, no context.

let lastHost = '';
let lastHostAddress = '';
let lastHostPort: number | undefined;

/**
 * Attributes of a SERVER span at request start. `path` is the target up to `?`, `queryAt`
 * the index of `?` in the target (-1 when none); the target is `req.url` unless given.
 */
export function serverSpanAttributes(
  req: IncomingMessage,
  headers: IncomingHttpHeaders,
  scheme: string,
  path: string,
  queryAt: number,
  target: string = req.url as string,
): Attributes {
  const method = normalizeMethod(req.method);
  const attrs: Attributes = {
    [ATTR_HTTP_REQUEST_METHOD]: method,
    [ATTR_URL_SCHEME]: scheme,
    [ATTR_URL_PATH]: path,
    [ATTR_NETWORK_PROTOCOL_VERSION]: req.httpVersion,
  };
  if (method === HTTP_REQUEST_METHOD_OTHER && req.method !== undefined) attrs[ATTR_HTTP_REQUEST_METHOD_ORIGINAL] = req.method;
  if (queryAt >= 0) attrs[ATTR_URL_QUERY] = redactQuery(target.slice(queryAt + 1));
  const host = headers.host;
  if (host !== undefined && host.length > 0) {
    // A server mostly sees one Host value: its parse is kept for the next request.
    if (host !== lastHost) {
      lastHostAddress = hostAddress(host);
      lastHostPort = hostPort(host);
      lastHost = host;
    }
    attrs[ATTR_SERVER_ADDRESS] = lastHostAddress;
    attrs[ATTR_SERVER_PORT] = lastHostPort ?? (scheme === 'https' ? 443 : 80);
  }
  const ua = headers['user-agent'];
  if (ua !== undefined) attrs[ATTR_USER_AGENT_ORIGINAL] = ua;
  const client = clientAddress(req, headers);
  if (client !== undefined) attrs[ATTR_CLIENT_ADDRESS] = client;
  return attrs;
}

/**
 * The origin form (`/path?query`) of an absolute-form request target, the form proxies
 * receive (`http://user:pw@host/path?q`, RFC 9112 §3.2.2): the URL's userinfo never reaches
 * a span. An unparsable target becomes `/`.
 */
export function originForm(target: string): string {
  try {
    const u = new URL(target);
    return u.pathname + u.search;
  } catch {
    return '/';
  }
}

/** `client.address`: first X-Forwarded-For entry, else the socket's peer. */
function clientAddress(req: IncomingMessage, headers: IncomingHttpHeaders): string | undefined {
  const xff = headers['x-forwarded-for'];
  if (typeof xff === 'string' && xff.length > 0) {
    const comma = xff.indexOf(',');
    const first = (comma < 0 ? xff : xff.slice(0, comma)).trim();
    if (first.length > 0) return first;
  }
  return req.socket?.remoteAddress;
}

/** Attributes of a CLIENT span, read from the ClientRequest Node built from the call's arguments. */
export function clientSpanAttributes(req: ClientRequest, args: ArrayLike<unknown>): Attributes {
  const method = normalizeMethod(req.method);
  const scheme = req.protocol === 'https:' ? 'https' : 'http';
  const host = req.host;
  const port = clientPort(req, args, scheme);
  const path = req.path || '/';
  const attrs: Attributes = {
    [ATTR_HTTP_REQUEST_METHOD]: method,
    [ATTR_SERVER_ADDRESS]: host,
    [ATTR_SERVER_PORT]: port,
    [ATTR_URL_FULL]: buildFullUrl(scheme, host, port, path),
  };
  if (method === HTTP_REQUEST_METHOD_OTHER) attrs[ATTR_HTTP_REQUEST_METHOD_ORIGINAL] = req.method;
  return attrs;
}

/**
 * The port the request goes to. Node keeps no port on a ClientRequest, so: options' `port`,
 * then the URL's, then the Host header Node derived from them, then the default.
 */
export function clientPort(req: ClientRequest, args: ArrayLike<unknown>, scheme: string): number {
  const a0 = args[0];
  const a1 = args[1];
  let port = optionsPort(a1);
  if (port === undefined) {
    if (a0 instanceof URL) port = a0.port === '' ? undefined : Number(a0.port);
    else port = optionsPort(a0);
  }
  if (port === undefined) {
    const hostHeader = req.getHeader('host');
    if (typeof hostHeader === 'string') port = hostPort(hostHeader);
  }
  if (port === undefined || !Number.isFinite(port)) {
    const agentPort = (req as { agent?: { defaultPort?: unknown } }).agent?.defaultPort;
    port = typeof agentPort === 'number' ? agentPort : scheme === 'https' ? 443 : 80;
  }
  return port;
}

function optionsPort(o: unknown): number | undefined {
  if (o === null || typeof o !== 'object' || o instanceof URL) return undefined;
  const p = (o as { port?: unknown; defaultPort?: unknown }).port ?? (o as { defaultPort?: unknown }).defaultPort;
  if (typeof p === 'number') return p;
  if (typeof p === 'string' && p.length > 0) return Number(p);
  return undefined;
}
