import { trace, SpanKind, type Attributes, type Context, type Span } from '@opentelemetry/api';
import type { InstrumentationKit } from './kit';
import { recordError, type SpanSpec } from './run-span';
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
import type { AnyFunction } from './wrap';
import { applyFunction } from '../sdk/bind-function';
import { runInContext } from '../sdk/context-manager';
import { dbQueryText, type SqlDialect } from './sql-sanitizer';
import { summarize } from './sql-summarizer';

/**
 * What database instrumentations share: the recipe from one call to its span (the keys are
 * in semconv.ts with the others), and ending a span from a driver callback.
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
 * else the system name (semconv span name rules).
 */
export function sqlSpanSpec(call: SqlCall): SpanSpec<never> {
  const attributes: Attributes = { [ATTR_DB_SYSTEM_NAME]: call.system };
  let name: string = call.system;
  if (typeof call.text === 'string') {
    const { operation, collection, queryText } = readStatement(call.text, call.system);
    if (operation !== undefined) {
      attributes[ATTR_DB_OPERATION_NAME] = operation;
      name = collection === undefined ? operation : operation + ' ' + collection;
    }
    if (collection !== undefined) attributes[ATTR_DB_COLLECTION_NAME] = collection;
    attributes[ATTR_DB_QUERY_TEXT] = queryText;
  }
  if (nonEmpty(call.namespace)) attributes[ATTR_DB_NAMESPACE] = call.namespace;
  if (nonEmpty(call.serverAddress)) attributes[ATTR_SERVER_ADDRESS] = call.serverAddress;
  if (typeof call.serverPort === 'number' && Number.isInteger(call.serverPort) && call.serverPort > 0) {
    attributes[ATTR_SERVER_PORT] = call.serverPort;
  }
  return { name, kind: SpanKind.CLIENT, attributes };
}

/** What is read from a statement's text: the same for every run of the same text. */
interface StatementParts {
  readonly operation: string | undefined;
  readonly collection: string | undefined;
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
  const parts: StatementParts = { operation, collection, queryText: dbQueryText(text, dialect) };
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

/** Ends a database span once; later calls are ignored. `err` null or undefined: success. */
export type SqlSpanEnder = (err: unknown) => void;

/**
 * The ender of one database span: the first call records `err` (when not null) with its
 * server status code and ends the span; it never throws.
 */
export function sqlSpanEnder(kit: InstrumentationKit, span: Span, statusCodeOf: StatusCodeOf): SqlSpanEnder {
  let open = true;
  return (err: unknown) => {
    if (!open) return;
    open = false;
    if (err != null) {
      recordError(span, err);
      const code = kit.safe(statusCodeOf, err);
      if (code !== undefined) span.setAttribute(ATTR_DB_RESPONSE_STATUS_CODE, code);
    }
    span.end();
  };
}

/** Marks our callback wrappers and points back to the callback they wrap. */
const WRAPPED_CALLBACK = Symbol.for('waymark.db.callback');

/** A driver callback `(err, ...results)`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type DriverCallback = (this: any, ...args: any[]) => unknown;

/** The application's callback behind one of our wrappers (or `cb` itself). */
export function originalCallback<F>(cb: F): F {
  let f: unknown = cb;
  while (typeof f === 'function' && (f as { [WRAPPED_CALLBACK]?: unknown })[WRAPPED_CALLBACK] !== undefined) {
    f = (f as unknown as { [WRAPPED_CALLBACK]: unknown })[WRAPPED_CALLBACK];
  }
  return f as F;
}

/**
 * Wraps a driver callback: the first call ends the span with its first argument as the
 * error; every call is forwarded unchanged (same `this`, arguments, return value and
 * thrown error) in `ctx`, the caller's context, so the application's code after the query
 * sees its own span as parent, not the one of whoever opened the connection.
 */
export function wrapSqlCallback<F extends DriverCallback>(cb: F, ctx: Context, end: SqlSpanEnder): F {
  const wrapped = function (this: unknown, err?: unknown): unknown {
    end(err);
    return runInContext(ctx, applyFunction, cb, this, arguments);
  };
  // An assignment, not defineProperty: one per query, and defineProperty on fresh
  // closures is ~10× dearer. A symbol key stays out of for-in, Object.keys and JSON.
  (wrapped as { [WRAPPED_CALLBACK]?: unknown })[WRAPPED_CALLBACK] = cb;
  return wrapped as unknown as F;
}

/**
 * Calls a driver method with `span` active (as a child of `parent`); a synchronous throw
 * ends the span with that error and is rethrown as is.
 */
export function callInSpan(original: AnyFunction, self: unknown, args: unknown[], parent: Context, span: Span, end: SqlSpanEnder): unknown {
  try {
    return runInContext(trace.setSpan(parent, span), applyFunction, original, self, args);
  } catch (err) {
    end(err);
    throw err;
  }
}

/**
 * Ends the span when `result` settles, observed on the side (the caller keeps the driver's
 * own promise); a result that is not a promise ends it now.
 */
export function endWhenSettled(result: unknown, end: SqlSpanEnder): void {
  if (result !== null && (typeof result === 'object' || typeof result === 'function') && typeof (result as PromiseLike<unknown>).then === 'function') {
    (result as PromiseLike<unknown>).then(
      () => end(undefined),
      (err: unknown) => end(err),
    );
    return;
  }
  end(undefined);
}
