import type { HttpSettings } from './settings';

/** The http settings in the shapes the hot paths of the http and http2 instrumentations test. */
export interface HttpConfig {
  /** Exact incoming paths not traced (`WAYMARK_HTTP_IGNORE_PATHS`). */
  readonly ignoreExact: ReadonlySet<string>;
  /** Incoming path prefixes not traced (entries ending in `*`). */
  readonly ignorePrefixes: readonly string[];
  /** Lower-case header names to capture, per direction (opt-in, OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_*). */
  readonly serverRequestHeaders: readonly string[];
  readonly serverResponseHeaders: readonly string[];
  readonly clientRequestHeaders: readonly string[];
  readonly clientResponseHeaders: readonly string[];
}

/** The http settings the kit hands over, with the ignored paths split into exact paths and prefixes. */
export function httpConfigOf(settings: HttpSettings): HttpConfig {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const p of settings.ignorePaths) {
    if (p.endsWith('*')) prefixes.push(p.slice(0, -1));
    else exact.add(p);
  }
  return {
    ignoreExact: exact,
    ignorePrefixes: prefixes,
    serverRequestHeaders: settings.serverRequestHeaders,
    serverResponseHeaders: settings.serverResponseHeaders,
    clientRequestHeaders: settings.clientRequestHeaders,
    clientResponseHeaders: settings.clientResponseHeaders,
  };
}

/**
 * True when an incoming request for `path` (no query) is not traced: no span, and its
 * handler runs under `suppressTracing` so nothing it calls is traced either.
 */
export function isIgnoredPath(config: HttpConfig, path: string): boolean {
  // Checking size first spares hashing a fresh path string when nothing is ignored.
  if (config.ignoreExact.size !== 0 && config.ignoreExact.has(path)) return true;
  const prefixes = config.ignorePrefixes;
  for (let i = 0; i < prefixes.length; i++) if (path.startsWith(prefixes[i]!)) return true;
  return false;
}
