import type { Http2Server, Http2ServerRequest, IncomingHttpHeaders, ServerHttp2Stream } from 'node:http2';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_HEADER_PREFIX,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_HEADER_PREFIX,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  attachServerSpan,
  captureHeaders,
  context,
  EMPTY_CONTEXT,
  incomingHeaderAttributes,
  isClaimedContentType,
  isIgnoredPath,
  isTracingSuppressed,
  NOT_ENTERED,
  propagation,
  recordError,
  setSpan,
  spanNameMethod,
  SpanKind,
  SpanStatusCode,
  suppressTracing,
  type AnyFunction,
  type Attributes,
  type Context,
  type ContextToken,
  type HttpConfig,
  type InstrumentationKit,
} from '../../src/instrument';
import { patchStreamEmit } from './client';
import { outgoingHeaderValues, requestPath, serverSpanAttributes } from './recipes';
import { ServerState, STATE, type WithState } from './state';

/** `error.type` of a server stream closed before its response was sent. */
export const ERROR_TYPE_ABORTED = 'aborted';

/** Builds the wrapper of `http2.createServer` / `createSecureServer`: each server's `emit` traces its 'stream' events. */
export function makeCreateServer(kit: InstrumentationKit, config: HttpConfig, secure: boolean) {
  return (original: AnyFunction): AnyFunction =>
    function createServer(this: unknown) {
      const server = original.apply(this, arguments as unknown as unknown[]) as Http2Server;
      // Per server (servers are few): Http2Server and Http2SecureServer are not exported.
      if (kit.active) kit.wrap(server as unknown as { emit: AnyFunction }, 'emit', (emit) => makeServerEmit(kit, config, secure, emit));
      return server;
    };
}

function makeServerEmit(kit: InstrumentationKit, config: HttpConfig, secure: boolean, original: AnyFunction): AnyFunction {
  // 'stream' carries both APIs: the compat 'request' event is emitted from a 'stream'
  // listener, so the handler of either runs in the span's context.
  return function emit(this: Http2Server, event: string | symbol, stream?: ServerHttp2Stream, headers?: IncomingHttpHeaders) {
    let token: ContextToken = NOT_ENTERED;
    if (kit.active && stream != null) {
      if (event === 'stream' && headers != null) {
        const ctx = startIncoming(kit, config, secure, stream, headers);
        if (ctx !== undefined) token = context.enter(ctx);
      } else if (event === 'request') {
        // Frameworks on the compat API name the span through the request (setServerRoute).
        const req = stream as unknown as Http2ServerRequest;
        const state = (req.stream as WithState | undefined)?.[STATE];
        if (state instanceof ServerState) attachServerSpan(req, state);
      }
    }
    try {
      return original.apply(this, arguments as unknown as unknown[]);
    } finally {
      if (token !== NOT_ENTERED) context.restore(token);
    }
  };
}

/**
 * Starts the server span of an incoming stream and returns the context its handler runs
 * in: the span's, a suppressed one for ignored paths, or undefined to run it as is.
 */
function startIncoming(
  kit: InstrumentationKit,
  config: HttpConfig,
  secure: boolean,
  stream: ServerHttp2Stream,
  headers: IncomingHttpHeaders,
): Context | undefined {
  const active = context.active();
  // gRPC and other claimed protocols make spans of their own.
  if (isTracingSuppressed(active) || isClaimedContentType(headers['content-type'])) return undefined;
  try {
    // Health checks: no span, and nothing the handler calls is traced either.
    const path = requestPath(headers);
    if (isIgnoredPath(config, path)) return suppressTracing(active);
    const attributes = serverSpanAttributes(headers, secure, stream.session?.socket?.remoteAddress, path);
    if (config.serverRequestHeaders.length > 0) incomingHeaderAttributes(attributes, ATTR_HTTP_REQUEST_HEADER_PREFIX, headers, config.serverRequestHeaders);
    // A fresh trace: nothing of the connection's context carries over.
    const parent = propagation.extract(EMPTY_CONTEXT, headers);
    const nameMethod = spanNameMethod(attributes[ATTR_HTTP_REQUEST_METHOD] as string);
    const span = kit.startSpan(nameMethod, SpanKind.SERVER, attributes, parent);
    const state = new ServerState(kit, config, span, setSpan(parent, span), nameMethod);
    (stream as WithState)[STATE] = state;
    patchStreamEmit(stream, makeServerStreamEmit);
    return state.ctx;
  } catch (err) {
    kit.fail(err, 'server stream');
    return undefined;
  }
}

/** `ServerHttp2Stream.prototype.emit`: errors and the end of a traced stream; its listeners run in the span's context. */
function makeServerStreamEmit(original: AnyFunction): AnyFunction {
  return function emit(this: ServerHttp2Stream, event: string | symbol, value?: unknown) {
    const state = (this as WithState)[STATE] as ServerState | undefined;
    let token: ContextToken = NOT_ENTERED;
    if (state !== undefined) {
      if (!state.ended) {
        if (event === 'error') {
          recordError(state.span, value);
          state.errorRecorded = true;
        } else if (event === 'close') endServerSpan(state, this);
      }
      if (this.listenerCount(event) !== 0) token = context.enter(state.ctx);
    }
    try {
      return original.apply(this, arguments as unknown as unknown[]);
    } finally {
      if (token !== NOT_ENTERED) context.restore(token);
    }
  };
}

/** Ends the server span once: the status sent, 5xx -> ERROR, closed before a response -> ERROR. */
function endServerSpan(state: ServerState, stream: ServerHttp2Stream): void {
  if (state.ended) return;
  state.ended = true;
  const span = state.span;
  try {
    const code = Number(stream.sentHeaders?.[':status']);
    if (stream.headersSent && Number.isInteger(code)) {
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, code);
      if (code >= 500 && !state.errorRecorded) {
        span.setStatus({ code: SpanStatusCode.ERROR });
        span.setAttribute(ATTR_ERROR_TYPE, String(code));
      }
      if (state.config.serverResponseHeaders.length > 0) recordResponseHeaders(state, stream.sentHeaders);
    }
    // Reset by either side before the response ended (RST_STREAM with an error code).
    const aborted = !stream.headersSent || (stream.rstCode !== undefined && stream.rstCode !== 0);
    if (aborted && !state.errorRecorded) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'stream closed before the response was sent' });
      span.setAttribute(ATTR_ERROR_TYPE, ERROR_TYPE_ABORTED);
    }
  } catch (err) {
    state.kit.fail(err, 'server span end');
  }
  span.end();
}

/** `http.response.header.*` from the headers the stream sent (`sentHeaders` keeps the app's name case). */
function recordResponseHeaders(state: ServerState, sent: unknown): void {
  const attrs: Attributes = {};
  captureHeaders(attrs, ATTR_HTTP_RESPONSE_HEADER_PREFIX, state.config.serverResponseHeaders, (name) => outgoingHeaderValues(sent, name));
  state.span.setAttributes(attrs);
}
