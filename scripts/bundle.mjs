// Bundles the agent (core, hooks, kit, instrumentations, and the small runtime
// dependencies) into one file for register.js. Startup is dominated by module loading
// on this class of machine (~60 files of ours and ~50 of semver/require-in-the-middle):
// one file parses and links far faster. Instrumentations stay lazy: esbuild wraps each
// CommonJS module in a closure that runs on its first require.
// @opentelemetry/api is bundled too (its ~50 files were half of the agent's startup): the
// bundled copy serves only pure helpers and enums; the registered globals are read and
// written by src/api-globals.ts with the version of the API copy the app shares.
// Bundled from the TypeScript sources, not from tsc's CommonJS output: there every
// `export { x } from './y'` is a getter on the module's exports object, so each use of a
// kit function by an instrumentation was a getter call behind a generic property load
// (callgrind: getter calls and LoadIC grew most). Counted under valgrind on a Fastify
// request (Node 20): 121.9k instructions against 105.5k for the build before the kit
// index. esbuild links ES modules by reference instead.
// Kept external: import-in-the-middle (its loader hook is registered by path and must
// share the instance register.mjs talks to).
import { build } from 'esbuild';

await build({
  entryPoints: ['src/agent.ts'],
  outfile: 'build/waymark-agent.js',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['import-in-the-middle'],
  // require-in-the-middle's debug output is never shown by the agent; see the stub.
  alias: { debug: './scripts/debug-stub.cjs' },
  // Stack traces stay readable: whitespace-only minification keeps every name, lines are cut
  // at 160 characters (one 300 KB line would be printed whole by any report that shows the
  // source line of a frame), and under --enable-source-maps register.js loads the bundle
  // so that Node maps its frames to the TypeScript sources (their text is in the map).
  // Unminified, the bundle was 46% larger and cost 2.5 ms more CPU to load (31.1 vs 28.6 ms
  // median, 61 alternating runs); cut lines cost nothing measurable.
  minifyWhitespace: true,
  lineLimit: 160,
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
});

// A V8 code cache for the bundle, so register.js skips most of its parse and compile at
// startup. Made here with this Node binary, and used only by the same V8 version (named in
// waymark-agent.cache.json, with the bundle's hash): other lines' V8 rejects it, after a
// check that costs more than compiling without it (register.js keeps a cache of its own
// for them, see there).
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import vm from 'node:vm';
import path from 'node:path';

const file = path.resolve('build/waymark-agent.js');
const source = readFileSync(file, 'utf8');
const script = new vm.Script(Module.wrap(source), { filename: file });
// Run the module body (not startAgent) so the functions its top level compiles are cached too.
const mod = { exports: {} };
script.runInThisContext()(mod.exports, createRequire(file), mod, file, path.dirname(file));
writeFileSync('build/waymark-agent.cache', script.createCachedData());
const bundleId = createHash('sha256').update(source).digest('hex').slice(0, 16);
writeFileSync('build/waymark-agent.cache.json', `${JSON.stringify({ v8: process.versions.v8, bundle: bundleId })}\n`);
