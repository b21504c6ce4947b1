import type { Exception } from '@opentelemetry/api';
import { getServerSpan, recordServerError } from './server-span';

/**
 * True when a framework error carries a 4xx status (`status` as Express and Koa read it,
 * else `statusCode` as Fastify sets it, else `output.statusCode` of a Hapi Boom): the
 * client's fault.
 */
export function isClientError(err: unknown): boolean {
  if (err === null || typeof err !== 'object') return false;
  const e = err as { status?: unknown; statusCode?: unknown; output?: { statusCode?: unknown } | null };
  const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : e.output?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/**
 * Records an error a web framework reports for a request (a throw, a rejection, `next(err)`)
 * on the request's server span (`req`: Node's IncomingMessage). A 4xx error (a validation
 * error, NotFound) is the client's fault: an exception event only, for semconv leaves a
 * server span's status unset for 4xx; any other error sets the status to ERROR too.
 * https://opentelemetry.io/docs/specs/semconv/http/http-spans/#status
 */
export function recordFrameworkError(req: object | null | undefined, err: unknown): void {
  if (err == null) return;
  if (isClientError(err)) getServerSpan(req)?.recordException(err as Exception);
  else recordServerError(req, err);
}
