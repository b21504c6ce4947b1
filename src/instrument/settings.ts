/**
 * What the agent's configuration tells instrumentations. Read once from the environment by
 * src/config.ts (which reports invalid values); each instrumentation gets it through its
 * kit at patch time and never reads the environment itself.
 */
export interface InstrumentationSettings {
  readonly db: DbSettings;
  readonly http: HttpSettings;
  readonly express: ExpressSettings;
  readonly koa: KoaSettings;
  readonly graphql: GraphqlSettings;
  readonly console: ConsoleSettings;
}

/** How `db.query.text` is recorded: `WAYMARK_DB_STATEMENT` (`sanitized`, the default, or `raw`). */
export type DbStatementMode = 'sanitized' | 'raw';

export interface DbSettings {
  readonly statement: DbStatementMode;
}

export interface HttpSettings {
  /** Incoming paths not traced (`WAYMARK_HTTP_IGNORE_PATHS`); an entry ending in `*` is a prefix. */
  readonly ignorePaths: readonly string[];
  /** Lower-case header names recorded per direction (OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_*): none unless named. */
  readonly serverRequestHeaders: readonly string[];
  readonly serverResponseHeaders: readonly string[];
  readonly clientRequestHeaders: readonly string[];
  readonly clientResponseHeaders: readonly string[];
}

export interface ExpressSettings {
  /** INTERNAL spans per middleware, router and route handler (`WAYMARK_EXPRESS_MIDDLEWARE_SPANS=true`). */
  readonly middlewareSpans: boolean;
}

export interface KoaSettings {
  /** INTERNAL spans per app middleware and router (`WAYMARK_KOA_MIDDLEWARE_SPANS=true`). */
  readonly middlewareSpans: boolean;
}

export interface GraphqlSettings {
  /**
   * INTERNAL spans per resolver with a function of its own, one per field path with list
   * indexes collapsed (`users.*.posts`) (`WAYMARK_GRAPHQL_RESOLVER_SPANS=true`).
   */
  readonly resolverSpans: boolean;
}

export interface ConsoleSettings {
  /** Lines of console.log/info/warn/error/debug written inside a span end with the trace ids (`WAYMARK_CONSOLE_TRACE_CONTEXT=true`). */
  readonly traceContext: boolean;
}

/** The settings when no variable is set. */
export const DEFAULT_SETTINGS: InstrumentationSettings = Object.freeze({
  db: Object.freeze({ statement: 'sanitized' as const }),
  http: Object.freeze({
    ignorePaths: [],
    serverRequestHeaders: [],
    serverResponseHeaders: [],
    clientRequestHeaders: [],
    clientResponseHeaders: [],
  }),
  express: Object.freeze({ middlewareSpans: false }),
  koa: Object.freeze({ middlewareSpans: false }),
  graphql: Object.freeze({ resolverSpans: false }),
  console: Object.freeze({ traceContext: false }),
});
