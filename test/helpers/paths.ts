import { existsSync } from 'node:fs';
import path from 'node:path';

/** The repository root: register.js, register.mjs, build/, node_modules/. */
export const ROOT = path.resolve(__dirname, '../..');

/** The apps the spawned-process tests run. */
export const FIXTURES = path.join(ROOT, 'test/fixtures');

/** Fails early with a clear message when the compiled agent that spawned processes load is missing. */
export function assertBuilt(): void {
  if (!existsSync(path.join(ROOT, 'build', 'instrumentations', 'index.js'))) {
    throw new Error('build/ is missing: run `npm run build` first');
  }
}
