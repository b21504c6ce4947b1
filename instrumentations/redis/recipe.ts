import { SpanKind, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE, ATTR_SERVER_ADDRESS, ATTR_SERVER_PORT, recordError, type SpanSpec } from '../../src/instrument';
import { redisBatchQueryText, redisQueryText, type RedisCommandParts } from '../../src/instrument/redis-statement';
import {
  ATTR_DB_NAMESPACE,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_QUERY_TEXT,
  ATTR_DB_RESPONSE_STATUS_CODE,
  ATTR_DB_SYSTEM_NAME,
} from '../../src/instrument/semconv';
import { ATTR_DB_OPERATION_BATCH_SIZE, DB_SYSTEM_NAME_VALUE_REDIS } from './semconv';

/**
 * Pure recipes shared by the ioredis and node-redis instrumentations: what a command or a
 * batch becomes as a span, and how a Redis error is recorded.
 */

/** Where a client sends its commands. */
export interface RedisServer {
  /** Host name, IP, or Unix socket path. */
  readonly address: string | undefined;
  readonly port: number | undefined;
  /** Database index. */
  readonly db: number | undefined;
}

/** Which kind of batch a span covers. */
export type RedisBatchMode = 'PIPELINE' | 'MULTI';

/** True when `ctx` holds a valid span: Redis commands are only traced under a parent (no orphan noise). */
export function hasParent(ctx: Context): boolean {
  const span = trace.getSpan(ctx);
  return span !== undefined && trace.isSpanContextValid(span.spanContext());
}

function baseAttributes(server: RedisServer, operation: string, text: string): Attributes {
  const attrs: Attributes = {
    [ATTR_DB_SYSTEM_NAME]: DB_SYSTEM_NAME_VALUE_REDIS,
    [ATTR_DB_OPERATION_NAME]: operation,
    [ATTR_DB_QUERY_TEXT]: text,
  };
  if (server.db !== undefined) attrs[ATTR_DB_NAMESPACE] = String(server.db);
  if (server.address !== undefined) attrs[ATTR_SERVER_ADDRESS] = server.address;
  if (server.port !== undefined) attrs[ATTR_SERVER_PORT] = server.port;
  return attrs;
}

/** The span of one command: named by the command (`GET`), values never in the text. */
export function commandSpec(server: RedisServer, command: RedisCommandParts): SpanSpec {
  const name = String(command.name).toUpperCase();
  return { name, kind: SpanKind.CLIENT, attributes: baseAttributes(server, name, redisQueryText(name, command.args)) };
}

/** The span of a pipeline or MULTI/EXEC: one span, its commands counted. */
export function batchSpec(server: RedisServer, mode: RedisBatchMode, commands: readonly RedisCommandParts[]): SpanSpec {
  const attributes = baseAttributes(server, mode, redisBatchQueryText(commands));
  // Semconv: a batch has two or more operations; the size SHOULD never be 1.
  if (commands.length >= 2) attributes[ATTR_DB_OPERATION_BATCH_SIZE] = commands.length;
  return { name: mode, kind: SpanKind.CLIENT, attributes };
}

/** The error prefix of a Redis error reply (`WRONGTYPE`, `ERR`, `NOSCRIPT`), if it is one. */
export function redisErrorPrefix(err: unknown): string | undefined {
  const message = err instanceof Error ? err.message : undefined;
  if (message === undefined) return undefined;
  const match = /^([A-Z][A-Z_]{1,31})(?:\s|$)/.exec(message);
  return match === null ? undefined : match[1];
}

/** Records `err` on `span`; for a server error reply, its prefix is the status code and error type. */
export function recordRedisError(span: Span, err: unknown): void {
  recordError(span, err);
  const prefix = redisErrorPrefix(err);
  if (prefix === undefined) return;
  try {
    span.setAttribute(ATTR_DB_RESPONSE_STATUS_CODE, prefix);
    span.setAttribute(ATTR_ERROR_TYPE, prefix);
  } catch {
    // a broken span must not break the host
  }
}

/**
 * The first error among batch results: pipeline results are `[err, value]` pairs (ioredis)
 * or values; an EXEC reply is an array that may hold per-command errors. Looks two levels deep.
 */
export function firstBatchError(result: unknown): unknown {
  if (!Array.isArray(result)) return undefined;
  for (const item of result) {
    if (item instanceof Error) return item;
    if (!Array.isArray(item)) continue;
    for (const inner of item) {
      if (inner instanceof Error) return inner;
      if (Array.isArray(inner)) for (const deep of inner) if (deep instanceof Error) return deep;
    }
  }
  return undefined;
}

/**
 * Ends `span` when `result` settles (a rejection is recorded, `check` may find an error in a
 * fulfilled value); observed on the side, never creating an unhandled rejection.
 */
export function endOnSettle(span: Span, result: unknown, check?: (value: unknown) => unknown): void {
  if (!isThenable(result)) {
    span.end();
    return;
  }
  result.then(
    (value) => {
      const err = check?.(value);
      if (err !== undefined) recordRedisError(span, err);
      span.end();
    },
    (err: unknown) => {
      recordRedisError(span, err);
      span.end();
    },
  );
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as { then?: unknown }).then === 'function';
}
