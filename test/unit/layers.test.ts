import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * The layers of src/, top-down: the composition root (agent.ts, exit-hooks.ts, index.ts)
 * wires everything; the SDK and propagation sit side by side and meet only in
 * span-context/ (ids, span-context types, context keys), which imports neither; the
 * viewer is a separate tool that shares no code with the agent's runtime.
 */

const REPO = path.resolve(__dirname, '../..');

/** Every .ts file under `dir` (repo-relative), recursively. */
function sources(dir: string): string[] {
  return readdirSync(path.join(REPO, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.posix.join(dir, f.split(path.sep).join('/')));
}

/**
 * The relative import targets of a file, repo-relative and without extension: static
 * imports and re-exports (multi-line ones too), `import(…)` and `require(…)`.
 */
function relativeImports(file: string): string[] {
  const text = readFileSync(path.join(REPO, file), 'utf8');
  const found: string[] = [];
  const pattern = /(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]*)['"]/gm;
  for (const m of text.matchAll(pattern)) {
    found.push(path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1]!)));
  }
  return found;
}

/** `from → to` for each import of a file under `dir` that lands in one of `forbidden`. */
function violations(dir: string, forbidden: readonly string[]): string[] {
  const out: string[] = [];
  for (const file of sources(dir)) {
    for (const target of relativeImports(file)) {
      if (forbidden.some((f) => target === f || target.startsWith(`${f}/`))) out.push(`${file} -> ${target}`);
    }
  }
  return out;
}

const ROOT_MODULES = ['src/agent', 'src/exit-hooks', 'src/index'];

describe('layers of src/', () => {
  it('reads the import lines it checks (a known import of each kind is found)', () => {
    expect(relativeImports('src/sdk/tracer.ts')).toContain('src/span-context/ids');
    expect(relativeImports('src/agent.ts')).toContain('src/sdk/tracer-provider'); // multi-line safe: one of several
    expect(relativeImports('src/agent.ts')).toContain('src/export/otlp-http-exporter'); // require()
    expect(violations('src/sdk', ['src/span-context']).length).toBeGreaterThan(0);
  });

  it('the SDK imports neither propagation nor the composition root', () => {
    expect(violations('src/sdk', ['src/propagation', ...ROOT_MODULES])).toEqual([]);
  });

  it('propagation imports neither the SDK nor the composition root', () => {
    expect(violations('src/propagation', ['src/sdk', ...ROOT_MODULES])).toEqual([]);
  });

  it('span-context, below both, imports nothing of the agent', () => {
    const imports = sources('src/span-context').flatMap((f) => relativeImports(f).map((t) => `${f} -> ${t}`));
    expect(imports.filter((line) => !line.split(' -> ')[1]!.startsWith('src/span-context/'))).toEqual([]);
  });

  it('nothing below the root imports it', () => {
    const below = ['src/sdk', 'src/propagation', 'src/span-context', 'src/export', 'src/hooks', 'src/instrument', 'instrumentations'];
    expect(below.flatMap((dir) => violations(dir, ROOT_MODULES))).toEqual([]);
  });

  it('the viewer imports only its own files', () => {
    const imports = sources('src/view').flatMap((f) => relativeImports(f).map((t) => `${f} -> ${t}`));
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((line) => !line.split(' -> ')[1]!.startsWith('src/view/'))).toEqual([]);
    const packages = sources('src/view').flatMap((f) =>
      [...readFileSync(path.join(REPO, f), 'utf8').matchAll(/\bfrom\s+['"]([^.'"][^'"]*)['"]/g)].map((m) => `${f} -> ${m[1]}`),
    );
    expect(packages.length).toBeGreaterThan(0);
    expect(packages.filter((line) => !line.split(' -> ')[1]!.startsWith('node:'))).toEqual([]);
  });
});
