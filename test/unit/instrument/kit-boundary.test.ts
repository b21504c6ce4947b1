import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { INSTRUMENTATIONS } from '../../../instrumentations';
import { ROOT } from '../../helpers/paths';

// The kit (src/instrument, through its index) is the only door from an instrumentation into
// the agent: everything else an instrumentation imports is its own folder, a Node builtin,
// or the types of the library it instruments. The registry may also load its folders.
const INSTRUMENTATIONS_DIR = path.join(ROOT, 'instrumentations');
const KIT_INDEX = path.join(ROOT, 'src/instrument');
const BUILTINS = new Set(builtinModules);

interface ImportSite {
  readonly file: string;
  readonly target: string;
  readonly typeOnly: boolean;
}

/** Every import, export-from, require() and import() of a TypeScript file. */
function importsOf(file: string): ImportSite[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const sites: ImportSite[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      sites.push({ file, target: node.moduleSpecifier.text, typeOnly: node.importClause?.isTypeOnly === true });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined && ts.isStringLiteral(node.moduleSpecifier)) {
      sites.push({ file, target: node.moduleSpecifier.text, typeOnly: node.isTypeOnly });
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const e = node.moduleReference.expression;
      if (ts.isStringLiteral(e)) sites.push({ file, target: e.text, typeOnly: node.isTypeOnly });
    } else if (ts.isCallExpression(node) && node.arguments.length >= 1) {
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      const isDynamicImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      if (isRequire || isDynamicImport) {
        const arg = node.arguments[0]!;
        // A computed target cannot be checked: count it as outside.
        sites.push({ file, target: ts.isStringLiteralLike(arg) ? arg.text : '<computed>', typeOnly: false });
      }
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      sites.push({ file, target: node.argument.literal.text, typeOnly: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return sites;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** The packages an instrumentation's registry entry hooks: their types may be imported. */
function libraryPackages(folder: string): Set<string> {
  const entry = INSTRUMENTATIONS.find((e) => e.name === folder);
  return new Set((entry?.targets ?? []).map((t) => t.module));
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** Why `site` is outside the boundary, or undefined when it is allowed. */
function violation(site: ImportSite): string | undefined {
  const { target } = site;
  if (target.startsWith('node:') || BUILTINS.has(target)) return undefined;
  const rel = path.relative(INSTRUMENTATIONS_DIR, site.file);
  const folder = rel.includes(path.sep) ? rel.split(path.sep)[0]! : undefined;
  if (target.startsWith('.')) {
    const resolved = path.resolve(path.dirname(site.file), target);
    if (resolved === KIT_INDEX || resolved === path.join(KIT_INDEX, 'index')) return undefined;
    if (folder === undefined) {
      // The registry (instrumentations/index.ts) loads each instrumentation's folder.
      const inside = path.relative(INSTRUMENTATIONS_DIR, resolved);
      if (!inside.startsWith('..') && !inside.includes(path.sep) && inside.length > 0) return undefined;
      return 'the registry may import the kit index and its instrumentations\u2019 folders only';
    }
    const own = path.join(INSTRUMENTATIONS_DIR, folder);
    if (resolved === own || resolved.startsWith(own + path.sep)) return undefined;
    if (resolved.startsWith(KIT_INDEX + path.sep)) return 'reaches past the kit\u2019s index into its files';
    return 'outside the kit and the instrumentation\u2019s own folder';
  }
  if (site.typeOnly && folder !== undefined && libraryPackages(folder).has(packageName(target))) return undefined;
  return site.typeOnly ? 'types of a package this instrumentation does not hook' : 'a package (only its types, with `import type`, for the hooked library)';
}

describe('the kit is the only door', () => {
  const files = sourceFiles(INSTRUMENTATIONS_DIR);

  it('finds the instrumentations and their imports', () => {
    expect(files.length).toBeGreaterThan(20);
    expect(files.map((f) => path.relative(ROOT, f))).toContain(path.join('instrumentations', 'index.ts'));
    expect(importsOf(path.join(INSTRUMENTATIONS_DIR, 'http', 'index.ts')).some((s) => s.target === 'node:http' && !s.typeOnly)).toBe(true);
  });

  it('every import of an instrumentation is the kit index, its own folder, a builtin or its library’s types', () => {
    const found: string[] = [];
    for (const file of files) {
      for (const site of importsOf(file)) {
        const why = violation(site);
        if (why !== undefined) found.push(`${path.relative(ROOT, file)}: '${site.target}': ${why}`);
      }
    }
    expect(found).toEqual([]);
  });

  it('tells a violation apart (the rule can fail)', () => {
    const at = (folder: string, target: string, typeOnly = false): string | undefined =>
      violation({ file: path.join(INSTRUMENTATIONS_DIR, folder, 'x.ts'), target, typeOnly });
    expect(at('pg', '../../src/instrument')).toBeUndefined();
    expect(at('pg', './recipe')).toBeUndefined();
    expect(at('pg', 'node:events')).toBeUndefined();
    expect(at('pg', 'pg', true)).toBeUndefined();
    expect(at('pg', 'pg')).toMatch(/package/);
    expect(at('pg', 'express', true)).toMatch(/does not hook/);
    expect(at('pg', '../../src/instrument/trace-call')).toMatch(/past the kit/);
    expect(at('pg', '../../src/api-globals')).toMatch(/outside/);
    expect(at('ioredis', '../redis/server')).toMatch(/outside/);
    expect(at('pg', '@opentelemetry/api', true)).toMatch(/does not hook/);
  });
});
