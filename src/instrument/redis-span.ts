import { SpanKind, type Attributes } from '@opentelemetry/api';
import { redisBatchQueryText, redisQueryText, type RedisCommandParts } from './redis-statement';
import {
  ATTR_DB_NAMESPACE,
  ATTR_DB_OPERATION_BATCH_SIZE,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_QUERY_TEXT,
  ATTR_DB_RESPONSE_STATUS_CODE,
  ATTR_DB_SYSTEM_NAME,
  ATTR_ERROR_TYPE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
} from './semconv';
import type { CallOutcome, SpanSpec } from './trace-call';

/**
 * Pure recipes of every Redis client instrumentation (ioredis, node-redis): what a command
 * or a batch becomes as a span, and what a failure adds.
 * https://opentelemetry.io/docs/specs/semconv/database/redis/
 */

/** `db.system.name` of Redis. */
export const DB_SYSTEM_NAME_VALUE_REDIS = 'redis';

/** Span and operation names of the two batch shapes. */
export const REDIS_BATCH_PIPELINE = 'PIPELINE';
export const REDIS_BATCH_MULTI = 'MULTI';

/** Which kind of batch a span covers. */
export type RedisBatchMode = typeof REDIS_BATCH_PIPELINE | typeof REDIS_BATCH_MULTI;

/** Where a client sends its commands. */
export interface RedisServer {
  /** Host name, IP, or Unix socket path. */
  readonly address: string | undefined;
  readonly port: number | undefined;
  /** Database index. */
  readonly db: number | undefined;
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
export function redisCommandSpec(server: RedisServer, command: RedisCommandParts): SpanSpec {
  const name = String(command.name).toUpperCase();
  return { name, kind: SpanKind.CLIENT, attributes: baseAttributes(server, name, redisQueryText(name, command.args)) };
}

/** The span of a pipeline or MULTI/EXEC: one span, its commands counted. */
export function redisBatchSpec(server: RedisServer, mode: RedisBatchMode, commands: readonly RedisCommandParts[]): SpanSpec {
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

/** For a server error reply, its prefix is the status code and the error type. */
function redisErrorAttributes(err: unknown): Attributes | undefined {
  const prefix = redisErrorPrefix(err);
  return prefix === undefined ? undefined : { [ATTR_DB_RESPONSE_STATUS_CODE]: prefix, [ATTR_ERROR_TYPE]: prefix };
}

/**
 * The first error among batch results: pipeline results are `[err, value]` pairs (ioredis)
 * or values; an EXEC reply is an array that may hold per-command errors. Looks two levels deep.
 */
export function redisBatchError(result: unknown): unknown {
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

/** Outcome of a command: a Redis error reply names its status code and error type. */
export const REDIS_COMMAND_OUTCOME: CallOutcome = Object.freeze({ errorAttributes: redisErrorAttributes });

/** Outcome of a batch: also an error inside a fulfilled reply. */
export const REDIS_BATCH_OUTCOME: CallOutcome = Object.freeze({ errorAttributes: redisErrorAttributes, errorInResult: redisBatchError });
