import { getServerSpanHolder, type ServerSpanHolder } from '../../src/instrument';

/**
 * The Node request (IncomingMessage) holding the server span, from the request object Nest
 * hands a route's handler: Express's request is Node's own; Fastify's wraps it as `raw`.
 */
export function serverRequestOf(req: unknown): object | undefined {
  if (req === null || typeof req !== 'object') return undefined;
  if (getServerSpanHolder(req) !== undefined) return req;
  const raw = (req as { raw?: unknown }).raw;
  return raw !== null && typeof raw === 'object' && getServerSpanHolder(raw) !== undefined ? raw : undefined;
}

/** The route template Express or Fastify named the server span with, if any. */
export function serverRouteOf(req: object | undefined): string | undefined {
  const holder: ServerSpanHolder | undefined = getServerSpanHolder(req);
  return holder?.route;
}
