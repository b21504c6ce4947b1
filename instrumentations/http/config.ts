/** Settings of the http instrumentation, read once from the environment when it loads. */
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

type Env = Record<string, string | undefined>;

/** Reads the http settings from `env`. */
export function readHttpConfig(env: Env = process.env): HttpConfig {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const p of list(env.WAYMARK_HTTP_IGNORE_PATHS)) {
    if (p.endsWith('*')) prefixes.push(p.slice(0, -1));
    else exact.add(p);
  }
  return {
    ignoreExact: exact,
    ignorePrefixes: prefixes,
    serverRequestHeaders: headerList(env.OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_SERVER_REQUEST),
    serverResponseHeaders: headerList(env.OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_SERVER_RESPONSE),
    clientRequestHeaders: headerList(env.OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_CLIENT_REQUEST),
    clientResponseHeaders: headerList(env.OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_CLIENT_RESPONSE),
  };
}

/** True when an incoming request for `path` (no query) is not traced. */
export function isIgnoredPath(config: HttpConfig, path: string): boolean {
  // Checking size first spares hashing a fresh path string when nothing is ignored.
  if (config.ignoreExact.size !== 0 && config.ignoreExact.has(path)) return true;
  const prefixes = config.ignorePrefixes;
  for (let i = 0; i < prefixes.length; i++) if (path.startsWith(prefixes[i]!)) return true;
  return false;
}

function list(v: string | undefined): string[] {
  if (v === undefined) return [];
  return v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function headerList(v: string | undefined): string[] {
  return [...new Set(list(v).map((s) => s.toLowerCase()))];
}
