import { SpanKind, type Attributes } from '@opentelemetry/api';
import { activeContext } from '../sdk/context-manager';
import { isTracingSuppressed } from '../suppress';
import type { InstrumentationKit } from './kit';
import { startCall, type CallOutcome, type SpanCall, type SpanSpec } from './trace-call';
import {
  ATTR_DB_COLLECTION_NAME,
  ATTR_DB_NAMESPACE,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_QUERY_TEXT,
  ATTR_DB_RESPONSE_STATUS_CODE,
  ATTR_DB_SYSTEM_NAME,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
} from './semconv';
import type { DbStatementMode } from './settings';
import { sanitizeSql, type SqlDialect } from './sql-sanitizer';
import { summarize } from './sql-summarizer';

/**
 * What SQL instrumentations share: the recipe from one call to its span (the keys are in
 * semconv.ts with the others), and the outcome of a failed call.
 * https://opentelemetry.io/docs/specs/semconv/database/database-spans/
 */

/** `db.system.name` values of the SQL drivers. */
export type SqlSystem = 'postgresql' | 'mysql';

/** What a SQL driver wrapper knows about one call, read from the call and the connection. */
export interface SqlCall {
  readonly system: SqlSystem;
  /** The statement as the application wrote it (placeholders, not values). */
  readonly text: string | undefined;
  /** Database name. */
  readonly namespace: string | undefined;
  readonly serverAddress: string | undefined;
  readonly serverPort: number | undefined;
}

const DIALECT: Record<SqlSystem, SqlDialect> = { postgresql: 'postgresql', mysql: 'mysql' };

/**
 * Recipe: the CLIENT span of one SQL call, named `<operation> <table>`, else `<operation>`,
 * else the system name (semconv span name rules). `statement`: the kit's `db.statement` setting.
 */
export function sqlSpanSpec(call: SqlCall, statement: DbStatementMode = 'sanitized'): SpanSpec {
  const attributes: Attributes = { [ATTR_DB_SYSTEM_NAME]: call.system };
  let name: string = call.system;
  if (typeof call.text === 'string') {
    const { operation, collection, queryText } = readStatement(call.text, call.system);
    if (operation !== undefined) {
      attributes[ATTR_DB_OPERATION_NAME] = operation;
      name = collection === undefined ? operation : operation + ' ' + collection;
    }
    if (collection !== undefined) attributes[ATTR_DB_COLLECTION_NAME] = collection;
    attributes[ATTR_DB_QUERY_TEXT] = statement === 'raw' ? call.text : queryText;
  }
  if (nonEmpty(call.namespace)) attributes[ATTR_DB_NAMESPACE] = call.namespace;
  if (nonEmpty(call.serverAddress)) attributes[ATTR_SERVER_ADDRESS] = call.serverAddress;
  if (typeof call.serverPort === 'number' && Number.isInteger(call.serverPort) && call.serverPort > 0) {
    attributes[ATTR_SERVER_PORT] = call.serverPort;
  }
  return { name, kind: SpanKind.CLIENT, attributes };
}

/**
 * Starts the span of one SQL call of a driver (`read` is the driver's recipe from the
 * connection and the call's statement argument), as a child of the active context; undefined
 * when the call is not to be traced: instrumentation disabled, tracing suppressed, or a
 * recipe that threw (which disables the instrumentation).
 */
export function startSqlCall<S, A>(
  kit: InstrumentationKit,
  read: (self: S, statement: A) => SqlCall,
  self: S,
  statement: A,
  outcome: CallOutcome,
): SpanCall | undefined {
  if (!kit.active) return undefined;
  const parent = activeContext();
  if (isTracingSuppressed(parent)) return undefined;
  const sql = kit.safe2(read, self, statement);
  const spec = sql === undefined ? undefined : kit.safe2(sqlSpanSpec, sql, kit.settings.db.statement);
  return spec === undefined ? undefined : startCall(kit, spec, parent, outcome);
}

/** What is read from a statement's text: the same for every run of the same text. */
interface StatementParts {
  readonly operation: string | undefined;
  readonly collection: string | undefined;
  /** The sanitized text (`db.query.text` unless the setting says raw). */
  readonly queryText: string;
}

// Applications run the same parameterized statements again and again: remember the parts of
// recent ones. Bounded in entries and key length; emptied when full (no LRU bookkeeping).
const CACHE_MAX_ENTRIES = 512;
const CACHE_MAX_KEY_LENGTH = 4096;
const statementCache: Record<SqlSystem, Map<string, StatementParts>> = { postgresql: new Map(), mysql: new Map() };

function readStatement(text: string, system: SqlSystem): StatementParts {
  const cache = statementCache[system];
  const hit = cache.get(text);
  if (hit !== undefined) return hit;
  const dialect = DIALECT[system];
  const { operation, collection } = summarize(text, dialect);
  const parts: StatementParts = { operation, collection, queryText: sanitizeSql(text, dialect) };
  if (text.length <= CACHE_MAX_KEY_LENGTH) {
    if (cache.size >= CACHE_MAX_ENTRIES) cache.clear();
    cache.set(text, parts);
  }
  return parts;
}

function nonEmpty(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0;
}

/** Reads the server's status code (SQLSTATE, error number) of a driver error, if it has one. */
export type StatusCodeOf = (err: unknown) => string | undefined;

/** The outcome of a driver's SQL calls: a failure carries the server's status code, if any. */
export function sqlOutcome(statusCodeOf: StatusCodeOf): CallOutcome {
  return {
    errorAttributes(err: unknown): Attributes | undefined {
      const code = statusCodeOf(err);
      return code === undefined ? undefined : { [ATTR_DB_RESPONSE_STATUS_CODE]: code };
    },
  };
}
