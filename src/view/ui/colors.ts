/*
 * One colour per service, the same on every page: services get colours in the order the
 * page first learns of them (the sorted service list at start, then as they appear).
 */

const PALETTE = ['#3b82f6', '#f59e0b', '#10b981', '#8b5cf6', '#ec4899', '#14b8a6', '#f97316', '#6366f1', '#84cc16', '#06b6d4', '#a855f7', '#eab308', '#0ea5e9', '#d946ef', '#22c55e', '#64748b'];

const assigned = new Map<string, string>();

/** Gives the services colours in this order (the ones already coloured keep theirs). */
export function learnServices(names: readonly string[]): void {
  for (const n of names) serviceColor(n);
}

/** The service's colour. */
export function serviceColor(service: string): string {
  let c = assigned.get(service);
  if (!c) {
    c = PALETTE[assigned.size % PALETTE.length]!;
    assigned.set(service, c);
  }
  return c;
}
