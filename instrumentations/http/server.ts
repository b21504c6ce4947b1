import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_HEADER_PREFIX,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_HEADER_PREFIX,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  attachServerSpan,
  context,
  EMPTY_CONTEXT,
  incomingHeaderAttributes,
  isIgnoredPath,
  isTracingSuppressed,
  NOT_ENTERED,
  propagation,
  setSpan,
  SpanKind,
  SpanStatusCode,
  suppressTracing,
  type AnyFunction,
  type Context,
  type ContextToken,
  type HttpConfig,
  type InstrumentationKit,
} from '../../src/instrument';
import type { EmitSource } from './emitters';
import { onRequestListenerThrew } from './listener-throw';
import { originForm, serverSpanAttributes, spanNameMethod } from './recipes';
import { ServerState, STATE, type WithState } from './state';

/** `error.type` of a server span whose client went away before the response was sent. */
export const ERROR_TYPE_ABORTED = 'aborted';

/** Builds the wrapper of `Server.prototype.emit` that traces each 'request' event. */
export function makeServerEmit(kit: InstrumentationKit, config: HttpConfig, scheme: string, source: EmitSource): AnyFunction {
  return (
    // One `source.emit.apply(this, arguments)` and no other use of `arguments`: V8 forwards
    // them without allocating (see emitters.ts). `req`/`res` are declared parameters for
    // that reason; `wrap` gives the wrapper the original's length.
    function emit(this: Server, event: string | symbol, req?: IncomingMessage, res?: ServerResponse) {
      let state: ServerState | undefined;
      let token: ContextToken = NOT_ENTERED;
      if (event === 'request' && kit.active && req != null && res != null) {
        const started = startIncoming(kit, config, scheme, req, res);
        if (started instanceof ServerState) {
          state = started;
          token = context.enter(started.ctx);
        } else if (started !== undefined) {
          token = context.enter(started);
        }
      }
      // try/finally, never catch and rethrow: the crash report of a listener that throws
      // must point at the app's `throw`, not at ours (see listener-throw.ts).
      let threw = state !== undefined;
      try {
        const result = source.emit.apply(this, arguments as unknown as unknown[]);
        threw = false;
        return result;
      } finally {
        if (token !== NOT_ENTERED) context.restore(token);
        if (threw) onRequestListenerThrew(state!, res!);
      }
    }
  );
}

/**
 * Starts the server span of an incoming request and returns its state (the handler runs
 * in `state.ctx`), a suppressed context for ignored paths, or undefined to run the
 * handler as is.
 */
function startIncoming(
  kit: InstrumentationKit,
  config: HttpConfig,
  scheme: string,
  req: IncomingMessage,
  res: ServerResponse,
): ServerState | Context | undefined {
  const active = context.active();
  if (isTracingSuppressed(active)) return undefined;
  try {
    let url = req.url ?? '/';
    // Absolute form (`GET http://user:pw@host/admin`): spans take its path and query only.
    if (url.charCodeAt(0) !== 47 /* / */ && url !== '*') url = originForm(url);
    const queryAt = url.indexOf('?');
    const path = queryAt < 0 ? url : url.slice(0, queryAt);
    // Health checks: no span, and nothing the handler calls is traced either.
    if (isIgnoredPath(config, path)) return suppressTracing(active);
    const headers = req.headers;
    const attributes = serverSpanAttributes(req, headers, scheme, path, queryAt, url);
    if (config.serverRequestHeaders.length > 0) incomingHeaderAttributes(attributes, ATTR_HTTP_REQUEST_HEADER_PREFIX, headers, config.serverRequestHeaders);
    // A fresh trace: nothing of the emitting context carries over. The agent's own empty
    // context makes the contexts derived from it (span, baggage) one small object each.
    const parent = propagation.extract(EMPTY_CONTEXT, headers);
    const nameMethod = spanNameMethod(attributes[ATTR_HTTP_REQUEST_METHOD] as string);
    const span = kit.startSpan(nameMethod, SpanKind.SERVER, attributes, parent);
    const state = new ServerState(kit, config, span, setSpan(parent, span), nameMethod);
    (req as WithState)[STATE] = state;
    (res as WithState)[STATE] = state;
    attachServerSpan(req, state);
    return state;
  } catch (err) {
    kit.fail(err, 'server request');
    return undefined;
  }
}

/** Ends the server span once: status code, 5xx -> ERROR, aborted -> ERROR. */
export function endServerSpan(state: ServerState, res: ServerResponse, finished: boolean): void {
  if (state.ended) return;
  state.ended = true;
  const span = state.span;
  try {
    if (finished || res.headersSent) {
      const code = res.statusCode;
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, code);
      if (code >= 500 && !state.errorRecorded) {
        span.setStatus({ code: SpanStatusCode.ERROR });
        span.setAttribute(ATTR_ERROR_TYPE, String(code));
      }
      const names = state.config.serverResponseHeaders;
      for (let i = 0; i < names.length; i++) {
        const v = res.getHeader(names[i]!);
        if (v !== undefined) span.setAttribute(ATTR_HTTP_RESPONSE_HEADER_PREFIX + names[i], Array.isArray(v) ? v : [String(v)]);
      }
    }
    if (!finished && !state.errorRecorded) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'request aborted before the response was sent' });
      span.setAttribute(ATTR_ERROR_TYPE, ERROR_TYPE_ABORTED);
    }
  } catch (err) {
    state.kit.fail(err, 'server span end');
  }
  span.end();
}
