import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  context,
  isTracingSuppressed,
  propagation,
  recordError,
  setSpan,
  SpanKind,
  SpanStatusCode,
  spanNameMethod,
  type Instrumentation,
  type InstrumentationKit,
  type Span,
  type TextMapSetter,
} from '../../src/instrument';
import {
  CHANNELS,
  type RequestCreateMessage,
  type RequestErrorMessage,
  type RequestHeadersMessage,
  type RequestTrailersMessage,
  type UndiciRequest,
} from './channels';
import { fetchSpanAttributes, hasHeader } from './recipes';

/** The span of an undici request, kept on the request object. */
const SPAN = Symbol('waymark.fetch.span');
type Traced = UndiciRequest & { [SPAN]?: Span };

const headerSetter: TextMapSetter<UndiciRequest> = {
  set(request, key, value) {
    if (!hasHeader(request.headers, key)) request.addHeader(key, value);
  },
};

let kit: InstrumentationKit | undefined;

function onCreate(message: unknown): void {
  const k = kit;
  if (k === undefined || !k.active) return;
  try {
    const request = (message as RequestCreateMessage).request as Traced;
    // undici publishes from inside fetch(): the active context is the caller's.
    const parent = context.active();
    if (isTracingSuppressed(parent)) return;
    const attributes = fetchSpanAttributes(request);
    const name = spanNameMethod(attributes[ATTR_HTTP_REQUEST_METHOD] as string);
    const span = k.startSpan(name, SpanKind.CLIENT, attributes, parent);
    request[SPAN] = span;
    propagation.inject(setSpan(parent, span), request, headerSetter);
  } catch (err) {
    k.fail(err, 'fetch request');
  }
}

function onHeaders(message: unknown): void {
  try {
    const { request, response } = message as RequestHeadersMessage;
    const span = (request as Traced)[SPAN];
    if (span === undefined) return;
    const code = response.statusCode;
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, code);
    if (code >= 400) {
      span.setStatus({ code: SpanStatusCode.ERROR });
      span.setAttribute(ATTR_ERROR_TYPE, String(code));
    }
  } catch (err) {
    kit?.fail(err, 'fetch response');
  }
}

function onTrailers(message: unknown): void {
  const request = (message as RequestTrailersMessage).request as Traced;
  const span = request[SPAN];
  if (span === undefined) return;
  request[SPAN] = undefined;
  try {
    span.end();
  } catch (err) {
    // A subscriber that throws becomes an uncaught exception in the host.
    kit?.fail(err, 'fetch end');
  }
}

function onError(message: unknown): void {
  const { request, error } = message as RequestErrorMessage;
  const span = (request as Traced)[SPAN];
  if (span === undefined) return;
  (request as Traced)[SPAN] = undefined;
  try {
    recordError(span, error);
    span.end();
  } catch (err) {
    kit?.fail(err, 'fetch error');
  }
}

/**
 * Global fetch and the undici package's own API (request, stream, pipeline, Client, Pool,
 * Agent, dispatch) through undici's diagnostics channels, subscribed at agent start. Every
 * copy of undici (Node's own, the package's majors) publishes on these names, once per
 * request its Client sends, whichever API or dispatcher made it: one span per request, none
 * twice (global fetch through the package's Agent set as global dispatcher is sent once).
 */
export const instrumentation: Instrumentation = {
  start(k: InstrumentationKit) {
    kit = k;
    subscribe(CHANNELS.create, onCreate);
    subscribe(CHANNELS.headers, onHeaders);
    subscribe(CHANNELS.trailers, onTrailers);
    subscribe(CHANNELS.error, onError);
  },
  stop() {
    unsubscribe(CHANNELS.create, onCreate);
    unsubscribe(CHANNELS.headers, onHeaders);
    unsubscribe(CHANNELS.trailers, onTrailers);
    unsubscribe(CHANNELS.error, onError);
    kit = undefined;
  },
};
