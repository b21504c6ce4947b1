/**
 * Pure helpers that turn Express path arguments into `http.route` templates.
 * No request data ever goes in: the result is the registered template, never a raw path.
 */

/**
 * The template text of a `use`/`route` path argument: a string as is, a RegExp as its
 * literal (`/^\/v\d+/i`), an array as its members joined with `,` (Express does not tell
 * which member matched without re-matching, and a stable low-cardinality value is better
 * than a guess). Undefined for anything else.
 */
export function pathTemplate(path: unknown): string | undefined {
  if (typeof path === 'string') return path;
  if (path instanceof RegExp) return String(path);
  if (Array.isArray(path)) {
    const parts: string[] = [];
    for (const p of path) {
      const t = pathTemplate(p);
      if (t !== undefined && t.length > 0) parts.push(t);
    }
    return parts.length > 0 ? parts.join(',') : undefined;
  }
  return undefined;
}

/**
 * Appends a mount/route part to a prefix: `('/api', '/users/:id')` -> `/api/users/:id`.
 * A `/` part adds nothing under a prefix (`app.use('/api', r)` + `r.get('/')` -> `/api`),
 * and at the root a template is never empty.
 */
export function joinRoute(prefix: string, part: string | undefined): string {
  if (part === undefined || part.length === 0 || part === '/') return prefix.length > 0 ? prefix : '/';
  if (prefix.length === 0 || prefix === '/') return part;
  if (prefix.endsWith('/') && part.startsWith('/')) return prefix + part.slice(1);
  return prefix + part;
}

/**
 * Like `joinRoute`, for a mount prefix handed down to a nested router: `/` mounts add
 * nothing, and the root stays the empty prefix.
 */
export function joinPrefix(prefix: string, part: string | undefined): string {
  if (part === undefined || part.length === 0 || part === '/') return prefix;
  return joinRoute(prefix, part);
}

/** The path argument of `router.use(...)`, or undefined when it starts with a handler. */
export function usePathArgument(first: unknown): unknown {
  // Same disambiguation as Express: `use(fn)`, `use([fn, fn])`, `use('/p', fn)`, `use(['/a', '/b'], fn)`.
  if (typeof first === 'function') return undefined;
  let arg = first;
  while (Array.isArray(arg) && arg.length !== 0) arg = arg[0];
  return typeof arg === 'function' ? undefined : first;
}
