/**
 * Redis-specific semantic-convention values (the keys live with the kit's, in
 * `src/instrument/semconv.ts`). https://opentelemetry.io/docs/specs/semconv/database/redis/
 */

export { ATTR_DB_OPERATION_BATCH_SIZE } from '../../src/instrument/semconv';

/** `db.system.name` of Redis. */
export const DB_SYSTEM_NAME_VALUE_REDIS = 'redis';

/** Span and operation names of the two batch shapes. */
export const REDIS_BATCH_PIPELINE = 'PIPELINE';
export const REDIS_BATCH_MULTI = 'MULTI';
