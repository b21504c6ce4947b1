import type { Span } from '@opentelemetry/api';
import { ATTR_HTTP_ROUTE } from './semconv';
import { recordError } from './record-error';

/** Where the http instrumentation keeps the server-span state on the IncomingMessage. */
export const SERVER_SPAN = Symbol.for('waymark.http.serverSpan');

/** What framework instrumentations can see of a request's server span. */
export interface ServerSpanHolder {
  readonly span: Span;
  /** Method part of the span name: the method, or `HTTP` for unknown methods. */
  readonly nameMethod: string;
  /** Route template set by a framework, if any. */
  route: string | undefined;
  /** True once an error was recorded (its `error.type` then wins over the status code's). */
  errorRecorded: boolean;
}

type WithServerSpan = { [SERVER_SPAN]?: ServerSpanHolder };

/** Attaches the server-span holder to a request (used by the http instrumentation). */
export function attachServerSpan(req: object, holder: ServerSpanHolder): void {
  (req as WithServerSpan)[SERVER_SPAN] = holder;
}

/** The holder attached to `req`, if it is being traced. */
export function getServerSpanHolder(req: object | null | undefined): ServerSpanHolder | undefined {
  return req == null ? undefined : (req as WithServerSpan)[SERVER_SPAN];
}

/** The server span of `req` (a Node IncomingMessage), if it is being traced. */
export function getServerSpan(req: object | null | undefined): Span | undefined {
  return getServerSpanHolder(req)?.span;
}

/**
 * Sets `http.route` on the request's server span and names it `METHOD route`.
 * Last call wins. Returns false when the request is not traced.
 */
export function setServerRoute(req: object | null | undefined, route: string): boolean {
  const holder = getServerSpanHolder(req);
  if (holder === undefined || typeof route !== 'string' || route.length === 0) return false;
  holder.route = route;
  holder.span.setAttribute(ATTR_HTTP_ROUTE, route);
  holder.span.updateName(holder.nameMethod + ' ' + route);
  return true;
}

/** Records an error (exception, status ERROR, `error.type`) on the request's server span. */
export function recordServerError(req: object | null | undefined, err: unknown): boolean {
  const holder = getServerSpanHolder(req);
  if (holder === undefined) return false;
  recordError(holder.span, err);
  holder.errorRecorded = true;
  return true;
}
