/**
 * True when a framework error carries a 4xx status (`status` as Express reads it, else
 * `statusCode` as Fastify sets it): the client's fault. Semconv leaves a server span's
 * status unset for 4xx, so such errors are recorded as an exception event only.
 * https://opentelemetry.io/docs/specs/semconv/http/http-spans/#status
 */
export function isClientError(err: unknown): boolean {
  if (err === null || typeof err !== 'object') return false;
  const e = err as { status?: unknown; statusCode?: unknown };
  const status = typeof e.status === 'number' ? e.status : e.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500;
}
