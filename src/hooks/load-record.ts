import { sep } from 'node:path';
import { readPackageVersion } from './package-version';
import { packageOf } from './preloaded';

/**
 * What the hooks did with each library, for the startup report: patched (with the
 * version), found outside the supported versions, or loaded before the agent. Bounded:
 * one entry per library and version, at most MAX_ENTRIES of each kind.
 */
export interface LoadRecord {
  /** `module version` (builtins: the module name alone) of what was patched. */
  readonly instrumented: string[];
  /** `module version (supported: ranges)` of libraries left alone. */
  readonly unsupported: string[];
  /** Libraries already loaded when the hooks were installed (not patched). */
  readonly preloaded: string[];
}

const MAX_ENTRIES = 100;


export function recordSubscriber(name: string, modules: readonly string[]): void {
  if (subscribers.length < MAX_ENTRIES) subscribers.push({ name, modules });
}

interface Record_ {
  instrumented: string[];
  unsupported: string[];
  preloaded: string[];
  /** Instrumentations that subscribe to diagnostics channels (nothing to patch) and the packages they serve. */
  subscribers: Array<{ name: string; modules: readonly string[] }>;
}

// On globalThis under a registry symbol, like the agent itself: the copy that hooked
// (the preload's bundle) and a copy an app imports (`getStartupReport`) share one record.
const RECORD_KEY = Symbol.for('waymark.load.record');
const g = globalThis as typeof globalThis & { [RECORD_KEY]?: Record_ };
const record: Record_ = (g[RECORD_KEY] ??= { instrumented: [], unsupported: [], preloaded: [], subscribers: [] });
const subscribers = record.subscribers;

function add(list: string[], item: string): void {
  if (list.length < MAX_ENTRIES && !list.includes(item)) list.push(item);
}

export function recordInstrumented(module: string, version: string | undefined): void {
  add(record.instrumented, version === undefined ? module : `${module} ${version}`);
}

export function recordUnsupported(description: string): void {
  add(record.unsupported, description);
}

export function recordPreloaded(module: string): void {
  add(record.preloaded, module);
}

/**
 * A copy of the record so far. Channel subscribers count once a package they serve is
 * loaded (`module version`, from one scan of require.cache here, not per load); one that
 * also serves a builtin or global (fetch, console) counts by its name.
 */
export function loadRecord(cache: NodeJS.Dict<NodeModule> = require.cache): LoadRecord {
  const instrumented = [...record.instrumented];
  if (subscribers.length > 0) {
    const loaded = loadedPackages(cache);
    for (const { name, modules } of subscribers) {
      const found = modules.filter((m) => loaded.has(m));
      for (const m of found) add(instrumented, versioned(m, loaded.get(m)));
      if (found.length === 0 && !modules.includes(name)) add(instrumented, name);
    }
  }
  return { instrumented, unsupported: [...record.unsupported], preloaded: [...record.preloaded] };
}

function versioned(module: string, dir: string | undefined): string {
  const version = dir === undefined ? undefined : readPackageVersion(dir);
  return version === undefined ? module : `${module} ${version}`;
}

/** Loaded package name -> its directory (the first copy found). */
function loadedPackages(cache: NodeJS.Dict<NodeModule>): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of Object.keys(cache)) {
    const name = packageOf(file);
    if (name === undefined || out.has(name)) continue;
    const at = file.lastIndexOf(`${sep}node_modules${sep}`) + `${sep}node_modules${sep}`.length;
    out.set(name, file.slice(0, at) + name.split('/').join(sep));
  }
  return out;
}
