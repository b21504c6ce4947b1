import { REDACTED } from './semconv';

/**
 * Query parameters whose values are secrets (compared lower-case). Semconv asks for at least
 * AWSAccessKeyId, Signature, sig, X-Goog-Signature:
 * https://opentelemetry.io/docs/specs/semconv/registry/attributes/url/#url-query
 */
const SECRET_PARAMS = new Set([
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'api_key',
  'apikey',
  'api-key',
  'key',
  'password',
  'passwd',
  'pwd',
  'secret',
  'client_secret',
  'sig',
  'signature',
  'awsaccesskeyid',
  'x-amz-signature',
  'x-amz-credential',
  'x-amz-security-token',
  'x-goog-signature',
  'x-goog-credential',
  'auth',
  'authorization',
]);

/**
 * Replaces the values of secret-looking parameters in a query string (without `?`) by
 * REDACTED; the string is returned as is when nothing needs redacting.
 */
export function redactQuery(query: string): string {
  let out: string | undefined;
  let start = 0;
  const len = query.length;
  while (start <= len) {
    let end = query.indexOf('&', start);
    if (end < 0) end = len;
    const eq = query.indexOf('=', start);
    if (eq >= 0 && eq < end && isSecretName(query, start, eq)) {
      if (out === undefined) out = query.slice(0, start);
      out += query.slice(start, eq + 1) + REDACTED;
    } else if (out !== undefined) {
      out += query.slice(start, end);
    }
    if (end === len) break;
    if (out !== undefined) out += '&';
    start = end + 1;
  }
  return out ?? query;
}

function isSecretName(query: string, from: number, to: number): boolean {
  const n = to - from;
  // Shortest name in the set is 3, longest 20: skip the decode/lower-case work otherwise.
  if (n < 3 || n > 40) return false;
  let name = query.slice(from, to);
  if (name.includes('%')) {
    try {
      name = decodeURIComponent(name);
    } catch {
      return false;
    }
  }
  return SECRET_PARAMS.has(name.toLowerCase());
}

/** `path` with its query redacted; `path` may carry `?query`. */
export function redactPathQuery(path: string): string {
  const q = path.indexOf('?');
  if (q < 0) return path;
  return path.slice(0, q + 1) + redactQuery(path.slice(q + 1));
}

/** `host` ready for a URL authority: IPv6 literals get brackets. */
export function formatHost(host: string): string {
  return host.includes(':') && host.charCodeAt(0) !== 91 /* [ */ ? `[${host}]` : host;
}

/**
 * An absolute URL for `url.full`: scheme://host[:port]path?query with the query redacted.
 * Credentials are never included; the port only when it is not the scheme's default.
 */
export function buildFullUrl(scheme: string, host: string, port: number | undefined, pathAndQuery: string): string {
  const defaultPort = scheme === 'https' ? 443 : scheme === 'http' ? 80 : undefined;
  const portPart = port === undefined || port === defaultPort ? '' : `:${port}`;
  return `${scheme}://${formatHost(host)}${portPart}${redactPathQuery(pathAndQuery || '/')}`;
}

/**
 * `url` as a string fit for `url.full`: user and password replaced by REDACTED (semconv),
 * secret query values redacted, fragment dropped. Returns undefined for an unparsable URL.
 */
export function sanitizeUrl(url: string | URL): string | undefined {
  let u: URL;
  try {
    u = typeof url === 'string' ? new URL(url) : new URL(url.href);
  } catch {
    return undefined;
  }
  if (u.username !== '' || u.password !== '') {
    u.username = REDACTED;
    u.password = REDACTED;
  }
  u.hash = '';
  const search = u.search;
  if (search.length > 1) {
    const redacted = redactQuery(search.slice(1));
    if (redacted !== search.slice(1)) return u.href.slice(0, u.href.length - search.length) + '?' + redacted;
  }
  return u.href;
}

/** Address part of a Host header (`example.com:8080` -> `example.com`, `[::1]:80` -> `::1`). */
export function hostAddress(host: string): string {
  if (host.charCodeAt(0) === 91 /* [ */) {
    const close = host.indexOf(']');
    return close < 0 ? host : host.slice(1, close);
  }
  const colon = host.indexOf(':');
  return colon < 0 || host.indexOf(':', colon + 1) >= 0 ? host : host.slice(0, colon);
}

/** Port of a Host header, or undefined when absent or invalid. Allocation-free. */
export function hostPort(host: string): number | undefined {
  let at: number;
  if (host.charCodeAt(0) === 91 /* [ */) {
    const close = host.indexOf(']');
    if (close < 0 || host.charCodeAt(close + 1) !== 58 /* : */) return undefined;
    at = close + 2;
  } else {
    const colon = host.indexOf(':');
    if (colon < 0 || host.indexOf(':', colon + 1) >= 0) return undefined;
    at = colon + 1;
  }
  if (at >= host.length || host.length - at > 5) return undefined;
  let port = 0;
  for (let i = at; i < host.length; i++) {
    const c = host.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return undefined;
    port = port * 10 + c;
  }
  return port <= 65535 ? port : undefined;
}

/** Splits a Host header (`example.com:8080`, `[::1]:80`) into address and optional port. */
export function splitHostPort(host: string): { address: string; port: number | undefined } {
  if (host.charCodeAt(0) === 91 /* [ */) {
    const close = host.indexOf(']');
    if (close < 0) return { address: host, port: undefined };
    const address = host.slice(1, close);
    return { address, port: host.charCodeAt(close + 1) === 58 /* : */ ? toPort(host.slice(close + 2)) : undefined };
  }
  const colon = host.indexOf(':');
  if (colon < 0 || host.indexOf(':', colon + 1) >= 0) return { address: host, port: undefined };
  return { address: host.slice(0, colon), port: toPort(host.slice(colon + 1)) };
}

function toPort(s: string): number | undefined {
  const n = Number(s);
  return s.length > 0 && Number.isInteger(n) && n >= 0 && n <= 65535 ? n : undefined;
}
