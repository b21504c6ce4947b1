import type { ClientHttp2Session, ClientHttp2Stream, IncomingHttpHeaders } from 'node:http2';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_HEADER_PREFIX,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_HEADER_PREFIX,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  captureHeaders,
  context,
  incomingHeaderAttributes,
  isClaimedContentType,
  isTracingSuppressed,
  NOT_ENTERED,
  propagation,
  recordError,
  setSpan,
  spanNameMethod,
  SpanKind,
  SpanStatusCode,
  wrap,
  type AnyFunction,
  type Attributes,
  type Context,
  type ContextToken,
  type HttpConfig,
  type InstrumentationKit,
  type TextMapSetter,
} from '../../src/instrument';
import { clientSpanAttributes, originOf, outgoingHeader, outgoingHeaderValues, type Origin } from './recipes';
import { ClientState, STATE, type WithState } from './state';

/** `error.type` of a client stream closed before its response arrived. */
export const ERROR_TYPE_ABORTED = 'aborted';

const ORIGIN = Symbol('waymark.http2.origin');
type TracedSession = ClientHttp2Session & { [ORIGIN]?: Origin | null };

/** Writes propagation headers into our copy of a headers object. */
const objectSetter: TextMapSetter<Record<string, unknown>> = {
  set(headers, key, value) {
    headers[key] = value;
  },
};
/** ...or of a flat raw headers array. */
const arraySetter: TextMapSetter<unknown[]> = {
  set(headers, key, value) {
    headers.push(key, value);
  },
};

/** Builds the wrapper of `http2.connect`: keeps the session's origin and patches its class's `request` once. */
export function makeConnect(kit: InstrumentationKit, config: HttpConfig) {
  requestKit = kit;
  requestConfig = config;
  return (original: AnyFunction): AnyFunction =>
    function connect(this: unknown, authority: unknown) {
      const session = original.apply(this, arguments as unknown as unknown[]) as TracedSession;
      if (kit.active) kit.safe2(prepareSession, session, authority);
      return session;
    };
}

/** The kit and config of the session `request` wrapper, set at patch. */
let requestKit: InstrumentationKit | undefined;
let requestConfig: HttpConfig | undefined;

function prepareSession(session: TracedSession, authority: unknown): void {
  session[ORIGIN] = originOf(authority) ?? null;
  const proto = Object.getPrototypeOf(session) as object;
  // ClientHttp2Session is not exported: its prototype is patched from the first session.
  if (requestKit !== undefined && requestConfig !== undefined && Object.prototype.hasOwnProperty.call(proto, 'request')) {
    wrap(proto as { request: AnyFunction }, 'request', makeRequest(requestKit, requestConfig));
  }
}

function makeRequest(kit: InstrumentationKit, config: HttpConfig) {
  return (original: AnyFunction): AnyFunction =>
    function request(this: TracedSession, headers?: unknown) {
      if (!kit.active) return original.apply(this, arguments as unknown as unknown[]);
      const parent = context.active();
      // gRPC and other claimed protocols make spans of their own.
      if (isTracingSuppressed(parent) || isClaimedContentType(outgoingHeader(headers, 'content-type'))) {
        return original.apply(this, arguments as unknown as unknown[]);
      }
      return traceRequest(kit, config, original, this, arguments, parent);
    };
}

function traceRequest(
  kit: InstrumentationKit,
  config: HttpConfig,
  original: AnyFunction,
  session: TracedSession,
  args: IArguments,
  parent: Context,
): unknown {
  const headers = args[0] as unknown;
  let state: ClientState | undefined;
  let sent: unknown = headers;
  try {
    const attributes = clientSpanAttributes(session[ORIGIN] ?? undefined, headers);
    // From the app's headers, before the propagation headers are added (as http does).
    if (config.clientRequestHeaders.length > 0) {
      captureHeaders(attributes, ATTR_HTTP_REQUEST_HEADER_PREFIX, config.clientRequestHeaders, (name) => outgoingHeaderValues(headers, name));
    }
    const span = kit.startSpan(spanNameMethod(attributes[ATTR_HTTP_REQUEST_METHOD] as string), SpanKind.CLIENT, attributes, parent);
    state = new ClientState(kit, config, span, parent);
    // A copy carries the propagation headers: the app's object may be reused.
    const ctx = setSpan(parent, span);
    if (Array.isArray(headers)) propagation.inject(ctx, (sent = headers.slice()) as unknown[], arraySetter);
    else if (headers == null || typeof headers === 'object') propagation.inject(ctx, (sent = { ...(headers as object) }) as Record<string, unknown>, objectSetter);
  } catch (err) {
    kit.fail(err, 'client request');
    state = undefined;
    sent = headers;
  }
  const callArgs = Array.prototype.slice.call(args) as unknown[];
  callArgs[0] = sent;
  let stream: ClientHttp2Stream;
  try {
    stream = original.apply(session, callArgs) as ClientHttp2Stream;
  } catch (err) {
    // A closed session, an invalid header: Node's own error reaches the caller as is.
    if (state !== undefined) endClientSpan(state, err, false);
    throw err;
  }
  if (state !== undefined) kit.safe2(attachClientState, stream, state);
  return stream;
}

function attachClientState(stream: ClientHttp2Stream, state: ClientState): void {
  (stream as WithState)[STATE] = state;
  patchStreamEmit(stream, makeClientStreamEmit);
}

/** Patches the `emit` of a stream class once, from its first instance (the classes are not exported). */
export function patchStreamEmit(stream: object, make: (original: AnyFunction) => AnyFunction): void {
  const proto = Object.getPrototypeOf(stream) as { emit: AnyFunction; [PATCHED]?: true };
  if (Object.prototype.hasOwnProperty.call(proto, PATCHED)) return;
  proto[PATCHED] = true;
  wrap(proto, 'emit', make);
}
const PATCHED = Symbol('waymark.http2.emitPatched');

/** `ClientHttp2Stream.prototype.emit`: response, errors and the end of a traced stream; its listeners run in the caller's context. */
function makeClientStreamEmit(original: AnyFunction): AnyFunction {
  return function emit(this: ClientHttp2Stream, event: string | symbol, value?: unknown) {
    const state = (this as WithState)[STATE] as ClientState | undefined;
    let token: ContextToken = NOT_ENTERED;
    if (state !== undefined) {
      if (!state.ended) {
        if (event === 'response') state.kit.safe2(onResponse, state, value as IncomingHttpHeaders);
        else if (event === 'error') {
          recordError(state.span, value);
          state.errorRecorded = true;
        } else if (event === 'close') endClientSpan(state, undefined, state.statusCode !== 0 && this.rstCode === 0);
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

function onResponse(state: ClientState, headers: IncomingHttpHeaders): void {
  const code = Number(headers?.[':status']);
  // 1xx informational headers come first; the final status is what the span reports.
  if (!Number.isInteger(code) || code < 200) return;
  state.statusCode = code;
  state.span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, code);
  const names = state.config.clientResponseHeaders;
  if (names.length > 0) {
    const attrs: Attributes = {};
    incomingHeaderAttributes(attrs, ATTR_HTTP_RESPONSE_HEADER_PREFIX, headers, names);
    state.span.setAttributes(attrs);
  }
}

/** Ends the client span once: an error recorded, a stream closed early (aborted), or >= 400. */
export function endClientSpan(state: ClientState, err: unknown, completed: boolean): void {
  if (state.ended) return;
  state.ended = true;
  const span = state.span;
  try {
    if (err !== undefined) recordError(span, err);
    else if (state.errorRecorded) {
      // 'error' recorded it already.
    } else if (!completed && state.statusCode === 0) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'stream closed before a response' });
      span.setAttribute(ATTR_ERROR_TYPE, ERROR_TYPE_ABORTED);
    } else if (state.statusCode >= 400) {
      span.setStatus({ code: SpanStatusCode.ERROR });
      span.setAttribute(ATTR_ERROR_TYPE, String(state.statusCode));
    }
  } catch (e) {
    state.kit.fail(e, 'client span end');
  }
  span.end();
}
