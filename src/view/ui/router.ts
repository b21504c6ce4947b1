/** In-page navigation: the address changes, the page re-renders, nothing reloads. */

let onRoute: () => void = () => {};

/** Sets what renders the page for the current address. */
export function setRouteHandler(fn: () => void): void {
  onRoute = fn;
}

/** Goes to an in-app path such as `/trace/<id>`. */
export function navigate(path: string): void {
  if (path === location.pathname + location.search) return;
  history.pushState(null, '', path);
  onRoute();
}

/** The path of a trace's page (Jaeger's URL shape). */
export function tracePath(traceId: string): string {
  return `/trace/${encodeURIComponent(traceId)}`;
}
