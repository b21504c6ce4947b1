import { readdirSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { intersects, satisfies } from 'semver';
import { describe, expect, it } from 'vitest';
import { INSTRUMENTATIONS } from '../../instrumentations';
import type { InstrumentationEntry, ModuleTarget } from '../../src/instrument/types';
import { assertBuilt, ROOT } from '../helpers/paths';
import { installedPackage, nodeRequire, type TestedPackage } from '../helpers/registry';

// The registry is the one place a library's facts are written: its modules, the versions
// it supports, and the installed packages its tests run against. The test harness finds an
// entry's code by the entry's name, and runs each test over the packages an entry names.

const FOLDERS = readdirSync(path.join(ROOT, 'instrumentations'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

/**
 * Modules whose oldest supported major no installed package tests yet, with the reason.
 * Every module here is a gap in the tests, written down so that it is seen: remove a line
 * once that major is installed (an npm alias devDependency) and named in `testedWith`.
 */
const OLDEST_MAJOR_UNTESTED: Readonly<Record<string, string>> = {
  // The entry declares '>=0.10.0 <3'; its tests run on amqplib 2.x only.
  'amqplib amqplib': 'no amqplib@0.10 alias installed',
};

/** The libraries an entry declares (hooked or reached through a channel), not Node's builtins. */
function libraryTargets(entry: InstrumentationEntry): ModuleTarget[] {
  return [...entry.targets, ...(entry.channelTargets ?? [])].filter((t) => !isBuiltin(t.module));
}

/** The version of `module` a tested package brings: its own, or that of a dependency it declares. */
function versionIn(tested: TestedPackage, module: string): string | undefined {
  if (tested.name === module) return tested.version;
  if (module in tested.dependencies) return installedPackage(module, tested.dir).version;
  return undefined;
}

/** A version's line of breaking changes as semver's caret counts them: `4` for 4.x, `0.10` for 0.10.x. */
function majorLine(version: string): string {
  const [major, minor] = version.split('.');
  return major === '0' ? `0.${minor}` : major!;
}

/** The major lines a range admits, oldest first (0.0 … 0.99, then 1 … 99). */
function majorLines(range: string): string[] {
  const lines = [...Array.from({ length: 100 }, (_, n) => `0.${n}`), ...Array.from({ length: 99 }, (_, n) => String(n + 1))];
  return lines.filter((line) => intersects(`^${line}.0${line.startsWith('0.') ? '' : '.0'}`, range, { includePrerelease: true }));
}

const WITH_LIBRARIES = INSTRUMENTATIONS.filter((e) => libraryTargets(e).length > 0);

/** Per entry and module: the range its targets declare (joined), and the versions its tested packages bring. */
const MODULES = WITH_LIBRARIES.flatMap((entry) => {
  const modules = [...new Set(libraryTargets(entry).map((t) => t.module))];
  return modules.map((module) => {
    const range = libraryTargets(entry)
      .filter((t) => t.module === module)
      .map((t) => t.versions)
      .join(' || ');
    const versions = (entry.testedWith ?? []).map((id) => versionIn(installedPackage(id), module)).filter((v) => v !== undefined);
    return [`${entry.name} ${module}`, range, versions] as const;
  });
});

describe('the registry (instrumentations/index.ts)', () => {
  it('has one entry per folder of instrumentations/, named as its folder', () => {
    expect(INSTRUMENTATIONS.map((e) => e.name).sort()).toEqual([...FOLDERS].sort());
  });

  it('built, loads each entry from the folder of its name (the harness finds them so)', () => {
    assertBuilt();
    const built = nodeRequire(path.join(ROOT, 'build/instrumentations')) as { INSTRUMENTATIONS: InstrumentationEntry[] };
    expect(built.INSTRUMENTATIONS.map((e) => e.name)).toEqual(INSTRUMENTATIONS.map((e) => e.name));
    for (const entry of built.INSTRUMENTATIONS) {
      const folder = nodeRequire(path.join(ROOT, 'build/instrumentations', entry.name)) as { instrumentation: unknown };
      expect(entry.load(), entry.name).toBe(folder.instrumentation);
    }
  });

  it.each(WITH_LIBRARIES.map((e) => [e.name, e] as const))('%s names the installed packages its tests run against', (_, entry) => {
    expect(entry.testedWith?.length ?? 0).toBeGreaterThan(0);
  });

  it.each(WITH_LIBRARIES.flatMap((e) => (e.testedWith ?? []).map((id) => [e.name, id, e] as const)))(
    '%s: the tested package %s is installed and within a range the entry declares',
    (_, id, entry) => {
      const tested = installedPackage(id);
      const within = libraryTargets(entry).filter((t) => {
        const version = versionIn(tested, t.module);
        return version !== undefined && satisfies(version, t.versions);
      });
      expect(within.map((t) => t.module), `${id} is ${tested.name}@${tested.version}`).not.toEqual([]);
    },
  );

  it.each(MODULES)('%s (%s): the newest and the oldest supported major are tested', (key, range, versions) => {
    const lines = majorLines(range);
    expect(lines.length, range).toBeGreaterThan(0);
    const tested = new Set(versions.map(majorLine));
    expect([...tested], `tested: ${versions.join(', ')}`).toContain(lines.at(-1));
    if (key in OLDEST_MAJOR_UNTESTED) expect([...tested], 'tested after all: remove it from OLDEST_MAJOR_UNTESTED').not.toContain(lines[0]);
    else expect([...tested], `tested: ${versions.join(', ')}`).toContain(lines[0]);
  });

  it('lists in OLDEST_MAJOR_UNTESTED only modules the registry declares', () => {
    const keys = new Set(MODULES.map(([key]) => key));
    for (const key of Object.keys(OLDEST_MAJOR_UNTESTED)) expect(keys).toContain(key);
  });
});
