/**
 * Redis-specific semantic-convention keys and values (the shared database keys live with the
 * kit, in `src/instrument/db.ts`). Kept here until the kit's `semconv.ts` carries them.
 * https://opentelemetry.io/docs/specs/semconv/database/redis/
 */

/** Number of operations in a batch (semconv: only for two or more). */
export const ATTR_DB_OPERATION_BATCH_SIZE = 'db.operation.batch.size';

/** `db.system.name` of Redis. */
export const DB_SYSTEM_NAME_VALUE_REDIS = 'redis';

/** Span and operation names of the two batch shapes. */
export const REDIS_BATCH_PIPELINE = 'PIPELINE';
export const REDIS_BATCH_MULTI = 'MULTI';
