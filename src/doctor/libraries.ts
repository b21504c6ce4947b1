import { readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { satisfies } from 'semver';
import type { InstrumentationEntry } from '../instrument/types';

/** What `waymark doctor` found of one library the registry instruments. */
export interface LibraryFinding {
  /** The registry entry's name (what OTEL_NODE_DISABLED_INSTRUMENTATIONS takes). */
  readonly entry: string;
  readonly module: string;
  /** The supported versions as the registry writes them (ranges joined by ` || `). */
  readonly range: string;
  readonly status: 'supported' | 'unsupported' | 'not installed';
  readonly version?: string | undefined;
  /** The package directory the version was read from. */
  readonly dir?: string | undefined;
  /** For a version outside the range: the package of the same entry it works through (express 5 through router 2). */
  readonly via?: string | undefined;
}

/**
 * The installed package `module` as Node would find it from `fromDir`: the first
 * node_modules/<module>/package.json walking up. Read from the file, not `require`: an
 * `exports` map may hide package.json, and nothing of the library is loaded.
 */
export function findInstalled(module: string, fromDir: string): { version: string; dir: string; dependencies: string[] } | undefined {
  let dir = path.resolve(fromDir);
  for (;;) {
    const pkgDir = path.join(dir, 'node_modules', module);
    try {
      const pkg = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { version?: unknown; dependencies?: unknown };
      const dependencies = pkg.dependencies !== null && typeof pkg.dependencies === 'object' ? Object.keys(pkg.dependencies) : [];
      if (typeof pkg.version === 'string') return { version: pkg.version, dir: pkgDir, dependencies };
    } catch {
      // Not here (or unreadable): keep walking up, as resolution does.
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Each library (not a Node builtin) each entry hooks or subscribes to, checked against its ranges. */
export function inspectLibraries(entries: readonly InstrumentationEntry[], fromDir: string): LibraryFinding[] {
  const out: LibraryFinding[] = [];
  for (const entry of entries) {
    const ranges = new Map<string, string[]>();
    for (const t of [...entry.targets, ...(entry.channelTargets ?? [])]) {
      if (isBuiltin(t.module)) continue;
      const list = ranges.get(t.module) ?? [];
      for (const r of t.versions.split('||').map((x) => x.trim())) if (!list.includes(r)) list.push(r);
      ranges.set(t.module, list);
    }
    const mine: LibraryFinding[] = [];
    for (const [module, list] of ranges) {
      const installed = findInstalled(module, fromDir);
      const range = list.join(' || ');
      if (installed === undefined) {
        mine.push({ entry: entry.name, module, range, status: 'not installed' });
        continue;
      }
      const ok = satisfies(installed.version, range, { includePrerelease: true });
      mine.push({ entry: entry.name, module, range, status: ok ? 'supported' : 'unsupported', version: installed.version, dir: installed.dir });
    }
    // A major the entry reaches through another of its targets (express 5 routes with the
    // router package) is supported when that package is: the registry hooks it there.
    for (const [i, f] of mine.entries()) {
      if (f.status !== 'unsupported') continue;
      const deps = findInstalled(f.module, fromDir)?.dependencies ?? [];
      const via = mine.find((o) => o.status === 'supported' && deps.includes(o.module));
      if (via !== undefined) mine[i] = { ...f, status: 'supported', via: `${via.module} ${via.version}` };
    }
    out.push(...mine);
  }
  return out;
}
