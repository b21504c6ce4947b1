/**
 * The instrumentation kit: everything an instrumentation imports, and the only module of
 * the agent it may import (test/unit/instrument/kit-boundary.test.ts holds that). See
 * README.md here, and instrumentations/README.md for how to add a library.
 */

// The registry entry and the per-instrumentation handle.
export type { Instrumentation, InstrumentationEntry, ModuleTarget } from './types';
export { InstrumentationKit, SCOPE_PREFIX } from './kit';
export { DEFAULT_SETTINGS, type InstrumentationSettings, type HttpSettings, type DbStatementMode } from './settings';

// Patching: wrap methods, find where a class defines them.
export { wrap, unwrap, wrapFunction, isWrapped, getOriginal, type AnyFunction, type MakeWrapper } from './wrap';
export { ownerOf, type Methods } from './owner-of';
export { satisfiesRange, majorOf } from './version';

// Context, propagation, suppression.
export { context, ROOT_CONTEXT, EMPTY_CONTEXT, NOT_ENTERED, setSpan, getSpan, hasValidSpan, type Context, type ContextToken } from './context';
export { propagation } from '../api-globals';
export { isTracingSuppressed, suppressTracing } from '../suppress';
export type { TextMapGetter, TextMapSetter } from '@opentelemetry/api';

// Spans of calls, whatever their shape; errors.
export { SpanKind, SpanStatusCode, type Attributes, type Exception, type Span } from '@opentelemetry/api';
export {
  startSpan,
  startCall,
  traceCall,
  callInSpan,
  endOnSettle,
  originalCallback,
  SpanCall,
  type SpanSpec,
  type CallOutcome,
  type Callback,
} from './trace-call';
export { recordError, errorType } from './record-error';
export { wrapPoolCheckout } from './pool-checkout';
export { wrapDetached } from './detached-call';
export { observeEmitter, type EmitterCall, type QueryEmitter } from './observe-emitter';
export { claimContentType, isClaimedContentType } from './claimed-content';

// Web frameworks: the server span of the request the http instrumentation traces.
export {
  getServerSpan,
  getServerSpanHolder,
  setServerRoute,
  recordServerError,
  attachServerSpan,
  SERVER_SPAN,
  type ServerSpanHolder,
} from './server-span';
export { isClientError, recordFrameworkError } from './framework-error';

// Recipes' helpers: HTTP, SQL, Redis; semantic-convention keys.
export { normalizeMethod, spanNameMethod } from './http-method';
export { httpConfigOf, isIgnoredPath, type HttpConfig } from './http-config';
export { captureHeaders, incomingHeaderAttributes } from './http-headers';
export { redactQuery, redactPathQuery, sanitizeUrl, buildFullUrl, splitHostPort, hostAddress, hostPort, formatHost } from './url';
export { sqlSpanSpec, sqlOutcome, startSqlCall, type SqlCall, type SqlSystem, type StatusCodeOf } from './sql-span';
export { MYSQL_OUTCOME, mysqlStatusCode, readMysqlCall, type MysqlConnectionLike } from './mysql-call';
export { redisQueryText, redisBatchQueryText, REDIS_QUERY_TEXT_MAX, type RedisCommandParts } from './redis-statement';
export {
  redisCommandSpec,
  redisBatchSpec,
  redisBatchError,
  redisErrorPrefix,
  REDIS_COMMAND_OUTCOME,
  REDIS_BATCH_OUTCOME,
  REDIS_BATCH_PIPELINE,
  REDIS_BATCH_MULTI,
  DB_SYSTEM_NAME_VALUE_REDIS,
  type RedisBatchMode,
  type RedisServer,
} from './redis-span';
export * from './semconv';

// The agent's own output and clock.
export { diag } from '../diag';
export { now } from '../clock';

// Log correlation: the active span's ids as OpenTelemetry's log fields.
export {
  activeSpanContext,
  traceFieldsOf,
  addTraceFields,
  traceFlagsHex,
  TRACE_ID_FIELD,
  SPAN_ID_FIELD,
  TRACE_FLAGS_FIELD,
  type TraceFields,
} from './trace-fields';
export type { SpanContext } from '@opentelemetry/api';
