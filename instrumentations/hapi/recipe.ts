/** The parts of Hapi's public route (`request.route`) read here. */
export interface HapiRouteLike {
  method?: unknown;
  path?: unknown;
}

/** Hapi's own routes (not found, bad request) have this method: they name nothing. */
const SPECIAL_METHOD = '_special';

/**
 * The route template of a Hapi request in Hapi's syntax (`/items/{id}`, `/files/{path*}`),
 * plugin prefixes included; undefined before routing and for Hapi's own special routes.
 */
export function routeOf(route: HapiRouteLike | null | undefined): string | undefined {
  if (route == null || route.method === SPECIAL_METHOD) return undefined;
  const path = route.path;
  return typeof path === 'string' && path.length > 0 ? path : undefined;
}
