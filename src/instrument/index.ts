/** The instrumentation kit: what instrumentations import (see README.md). */
export { InstrumentationKit, SCOPE_PREFIX } from './kit';
export { wrap, unwrap, wrapFunction, isWrapped, getOriginal, type AnyFunction, type MakeWrapper } from './wrap';
export { runSpan, startSpan, recordError, errorType, type SpanSpec } from './run-span';
export {
  getServerSpan,
  getServerSpanHolder,
  setServerRoute,
  recordServerError,
  attachServerSpan,
  SERVER_SPAN,
  type ServerSpanHolder,
} from './server-span';
export { normalizeMethod, spanNameMethod } from './http-method';
export { redactQuery, redactPathQuery, sanitizeUrl, buildFullUrl, splitHostPort, hostAddress, hostPort, formatHost } from './url';
export type { Instrumentation, InstrumentationEntry, ModuleTarget } from './types';
export * from './semconv';
