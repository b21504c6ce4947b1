import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { INSTRUMENTATIONS } from '../../instrumentations';
import type { Instrumentation, InstrumentationEntry, ModuleTarget } from '../../src/instrument/types';

/** Node's require: libraries must be loaded through it so require-in-the-middle sees them. */
export const nodeRequire = createRequire(__filename);

// Vitest cannot `require()` TypeScript, so an entry's own `load` fails here: each entry is
// served from an import of its folder, found by the entry's name (a registry test holds
// the convention, and that the built registry loads the same folders).
const LOADED = new Map<string, Instrumentation>();
for (const entry of INSTRUMENTATIONS) {
  const folder = (await import(`../../instrumentations/${entry.name}/index.ts`)) as { instrumentation: Instrumentation };
  LOADED.set(entry.name, folder.instrumentation);
}

/** One package an entry's tests run against, as installed. */
export interface TestedPackage {
  /** The name it is installed (and required) under: `express4` for the npm alias. */
  readonly id: string;
  /** Its own package name: `express`. */
  readonly name: string;
  readonly version: string;
  readonly major: number;
  /** Its directory. */
  readonly dir: string;
  /** Its declared dependencies. */
  readonly dependencies: Readonly<Record<string, string>>;
}

/** The registry entry called `name`. */
export function entryNamed(name: string): InstrumentationEntry {
  const entry = INSTRUMENTATIONS.find((e) => e.name === name);
  if (entry === undefined) throw new Error(`no registry entry ${name}`);
  return entry;
}

/** The installed packages the entry `name` declares its tests run against, in its order. */
export function testedPackages(name: string): TestedPackage[] {
  return (entryNamed(name).testedWith ?? []).map((id) => installedPackage(id));
}

/**
 * The package installed as `id`, found as `require(id)` from `from` (a package's directory;
 * the repository by default) would find it. Read from its directory, not resolved through
 * `id/package.json`, which packages with an `exports` map may not export.
 */
export function installedPackage(id: string, from?: string): TestedPackage {
  const lookup = from === undefined ? nodeRequire : createRequire(path.join(from, 'package.json'));
  const dir = (lookup.resolve.paths(id) ?? []).map((p) => path.join(p, id)).find((d) => existsSync(path.join(d, 'package.json')));
  if (dir === undefined) throw new Error(`${id} is not installed${from === undefined ? '' : ` for ${from}`}`);
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name: string; version: string; dependencies?: Record<string, string> };
  return { id, name: pkg.name, version: pkg.version, major: Number(pkg.version.split('.')[0]), dir, dependencies: pkg.dependencies ?? {} };
}

/**
 * The registry as the tests run it: `load`s served from the imports above, and each target
 * module that a tested package is installed under an alias of (`express4`) targeted by that
 * name too, since the hooks know a package by its directory in node_modules.
 */
export function testEntries(): InstrumentationEntry[] {
  return INSTRUMENTATIONS.map((entry) => {
    const loaded = LOADED.get(entry.name)!;
    return { ...entry, targets: [...entry.targets, ...aliasTargets(entry)], load: () => loaded };
  });
}

function aliasTargets(entry: InstrumentationEntry): ModuleTarget[] {
  const out: ModuleTarget[] = [];
  for (const tested of testedPackages(entry.name)) {
    if (tested.id === tested.name) continue;
    for (const t of entry.targets) if (t.module === tested.name) out.push({ ...t, module: tested.id });
  }
  return out;
}
