/** The parts of a Fastify request we read. */
export interface FastifyRequestLike {
  readonly raw?: object;
  readonly routeOptions?: { readonly url?: unknown };
  readonly routerPath?: unknown;
}

/**
 * The route template of a request (`/users/:id`, with plugin prefixes), or undefined
 * for the 404 handler. A pure recipe: reads only what Fastify exposes publicly.
 */
export function routeTemplate(request: FastifyRequestLike): string | undefined {
  // `routeOptions` exists from 4.10 on; `routerPath` before it. Checking `in` first keeps
  // us off `routerPath` where it is deprecated (reading it prints FSTDEP017).
  const url = 'routeOptions' in request ? request.routeOptions?.url : request.routerPath;
  return typeof url === 'string' && url.length > 0 ? url : undefined;
}
