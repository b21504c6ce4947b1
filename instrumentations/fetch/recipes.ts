import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_METHOD_ORIGINAL,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_FULL,
  HTTP_REQUEST_METHOD_OTHER,
  buildFullUrl,
  normalizeMethod,
  splitHostPort,
  type Attributes,
} from '../../src/instrument';
import type { UndiciRequest } from './channels';

/** Attributes of the CLIENT span of an undici request, from its origin, method and path. */
export function fetchSpanAttributes(request: UndiciRequest): Attributes {
  const method = normalizeMethod(request.method ?? 'GET');
  const origin = typeof request.origin === 'string' ? request.origin : request.origin?.href ?? '';
  const sep = origin.indexOf('://');
  const scheme = sep < 0 ? 'http' : origin.slice(0, sep);
  let authority = sep < 0 ? origin : origin.slice(sep + 3);
  const slash = authority.indexOf('/');
  if (slash >= 0) authority = authority.slice(0, slash);
  const at = authority.lastIndexOf('@');
  if (at >= 0) authority = authority.slice(at + 1); // credentials never leave the process in spans
  const hp = splitHostPort(authority);
  const port = hp.port ?? (scheme === 'https' ? 443 : 80);
  const attrs: Attributes = {
    [ATTR_HTTP_REQUEST_METHOD]: method,
    [ATTR_SERVER_ADDRESS]: hp.address,
    [ATTR_SERVER_PORT]: port,
    [ATTR_URL_FULL]: buildFullUrl(scheme, hp.address, port, request.path),
  };
  if (method === HTTP_REQUEST_METHOD_OTHER && request.method !== undefined) attrs[ATTR_HTTP_REQUEST_METHOD_ORIGINAL] = request.method;
  return attrs;
}

/** True when the request already carries header `name` (the app set it: do not add a second). */
export function hasHeader(headers: UndiciRequest['headers'], name: string): boolean {
  if (headers === undefined) return false;
  if (typeof headers === 'string') return headers.toLowerCase().includes(name + ':');
  for (let i = 0; i < headers.length; i += 2) {
    const h = headers[i];
    if (typeof h === 'string' && h.length === name.length && h.toLowerCase() === name) return true;
  }
  return false;
}
