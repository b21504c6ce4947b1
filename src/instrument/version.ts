import type majorFn from 'semver/functions/major';
import type satisfiesFn from 'semver/functions/satisfies';

// semver is loaded on the first check of a non-core library, not at agent start, and only
// its two functions (the full index costs ~10 ms of startup).
let satisfiesImpl: typeof satisfiesFn | undefined;
let majorImpl: typeof majorFn | undefined;

/** True when `version` is inside `range` (prereleases count: a 5.0.0-rc is a 5). */
export function satisfiesRange(version: string, range: string): boolean {
  satisfiesImpl ??= require('semver/functions/satisfies') as typeof satisfiesFn;
  return satisfiesImpl(version, range, { includePrerelease: true });
}

/** The major of a valid semver version. */
export function majorOf(version: string): number {
  majorImpl ??= require('semver/functions/major') as typeof majorFn;
  return majorImpl(version);
}
