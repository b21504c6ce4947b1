// Bundles the viewer's web page (src/view/ui) into build/ui: one script, one stylesheet,
// the HTML shell and the icon, served by `waymark view` from memory. Nothing is fetched
// from anywhere else at run time.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';

const out = 'build/ui';
mkdirSync(out, { recursive: true });
await build({
  entryPoints: { app: 'src/view/ui/main.ts' },
  outdir: out,
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: 'chrome110',
  // Names kept: a profile or a stack trace of the page stays readable.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
});
await build({ entryPoints: { app: 'src/view/ui/style.css' }, outdir: out, bundle: true, minify: true, logLevel: 'warning' });
for (const f of ['index.html', 'favicon.svg']) copyFileSync(`src/view/ui/${f}`, `${out}/${f}`);
