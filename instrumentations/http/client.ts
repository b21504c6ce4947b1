import type { ClientRequest, IncomingMessage } from 'node:http';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_HEADER_PREFIX,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_HEADER_PREFIX,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_NETWORK_PROTOCOL_VERSION,
  captureHeaders,
  context,
  isTracingSuppressed,
  now,
  propagation,
  recordError,
  setSpan,
  SpanKind,
  SpanStatusCode,
  type AnyFunction,
  type Context,
  type HttpConfig,
  type InstrumentationKit,
  type TextMapSetter,
} from '../../src/instrument';
import { clientSpanAttributes, spanNameMethod } from './recipes';
import { ClientState, STATE, type WithState } from './state';

/** `error.type` of a client span whose request was aborted without an error object. */
export const ERROR_TYPE_ABORTED = 'aborted';

/** Writes propagation headers with `setHeader` (works for every call form of request()). */
const headerSetter: TextMapSetter<ClientRequest> = {
  set(req, key, value) {
    req.setHeader(key, value);
  },
};

/** Builds the wrapper of `http.request` / `https.request`. */
export function makeRequest(kit: InstrumentationKit, config: HttpConfig) {
  return (original: AnyFunction): AnyFunction =>
    function request(this: unknown) {
      if (!kit.active) return original.apply(this, arguments as unknown as unknown[]);
      const parent = context.active();
      if (isTracingSuppressed(parent)) return original.apply(this, arguments as unknown as unknown[]);
      return traceOutgoing(kit, config, original, this, arguments, parent);
    };
}

/**
 * Builds the wrapper of `http.get` / `https.get`. Node's get is `request()` + `end()`, and
 * headers can no longer be added after `end()`, so the traced path does the same itself
 * with the original `request`.
 */
export function makeGet(kit: InstrumentationKit, config: HttpConfig, originalRequest: AnyFunction) {
  return (original: AnyFunction): AnyFunction =>
    function get(this: unknown) {
      if (!kit.active) return original.apply(this, arguments as unknown as unknown[]);
      const parent = context.active();
      if (isTracingSuppressed(parent)) return original.apply(this, arguments as unknown as unknown[]);
      const req = traceOutgoing(kit, config, originalRequest, this, arguments, parent);
      req.end();
      return req;
    };
}

function traceOutgoing(
  kit: InstrumentationKit,
  config: HttpConfig,
  original: AnyFunction,
  self: unknown,
  args: IArguments,
  parent: Context,
): ClientRequest {
  const startTime = now();
  // Node validates and normalises every call form; errors it throws reach the caller as is.
  const req = original.apply(self, args as unknown as unknown[]) as ClientRequest;
  try {
    const attributes = clientSpanAttributes(req, args);
    if (config.clientRequestHeaders.length > 0) {
      captureHeaders(attributes, ATTR_HTTP_REQUEST_HEADER_PREFIX, config.clientRequestHeaders, (n) => req.getHeader(n));
    }
    const name = spanNameMethod(attributes[ATTR_HTTP_REQUEST_METHOD] as string);
    const span = kit.startSpan(name, SpanKind.CLIENT, attributes, parent, startTime);
    (req as WithState)[STATE] = new ClientState(kit, config, span, parent);
    // Headers given as an array, or an Expect header, make Node write the head at once.
    if (!req.headersSent) propagation.inject(setSpan(parent, span), req, headerSetter);
  } catch (err) {
    kit.fail(err, 'client request');
  }
  return req;
}

/** The response arrived: status, protocol, response headers; the state moves to `res`. */
export function onClientResponse(state: ClientState, res: IncomingMessage): void {
  if (state.ended || res == null) return;
  (res as WithState)[STATE] = state;
  const span = state.span;
  const code = res.statusCode ?? 0;
  state.statusCode = code;
  span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, code);
  if (res.httpVersion) span.setAttribute(ATTR_NETWORK_PROTOCOL_VERSION, res.httpVersion);
  const names = state.config.clientResponseHeaders;
  for (let i = 0; i < names.length; i++) {
    const v = res.headers[names[i]!];
    if (v !== undefined) span.setAttribute(ATTR_HTTP_RESPONSE_HEADER_PREFIX + names[i], Array.isArray(v) ? v : [v]);
  }
}

/**
 * Ends the client span once: with `err`, or as aborted when `completed` is false,
 * else from the status code (>= 400 is an error for a client).
 */
export function endClientSpan(state: ClientState, err: unknown, completed: boolean): void {
  if (state.ended) return;
  state.ended = true;
  const span = state.span;
  try {
    if (err !== undefined) {
      recordError(span, err);
    } else if (!completed) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'request aborted' });
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
