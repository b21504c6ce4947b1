// Instructions per outbound call (http.get, fetch, pg query), counted by valgrind, for no
// agent, an AsyncLocalStorage context only, and Waymark without export (and optionally a
// second Waymark build). Counts do not depend on what else the machine runs, so changes
// of a few percent show that CPU-time runs on this shared 2-core machine cannot resolve.
//
// Each variant runs bench/apps/call-loop.js twice under `valgrind --tool=callgrind`, with
// N1 and N2 calls after the same warm-up; (instructions(N2) - instructions(N1)) / (N2 - N1)
// is the steady-state cost of one call, startup and warm-up cancelled out. V8 runs with
// --single-threaded (no concurrent compiler or GC threads), which makes counts repeat
// within ~1-2% for http and pg (seen here: 352.5k / 355.4k for the same http run).
// Garbage collection is counted too: a full mark-compact that falls in one window and not
// the other moves a fetch count by 30-40k (fetch allocates the most), so compare fetch runs
// with a larger N2, or not at all below ~5%.
//
//   node bench/call-instructions.mjs [http fetch pg]     N1=500 N2=2500 WARMUP=1500
//   BASELINE=/other/checkout/register.js node bench/call-instructions.mjs pg
// Needs valgrind (on every machine kind here) and, for pg, PostgreSQL at 127.0.0.1:5432.
// About a minute per run; two runs go in parallel.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const N1 = Number(process.env.N1 || 500);
const N2 = Number(process.env.N2 || 2500);
const WARMUP = process.env.WARMUP || '1500';
const kinds = process.argv.slice(2).length ? process.argv.slice(2) : ['http', 'fetch', 'pg'];
const VARIANTS = {
  none: [],
  'als-only': ['--require', path.join(ROOT, 'bench/preload-als-context.js')],
  'waymark-noexp': ['--require', path.join(ROOT, 'register.js')],
  ...(process.env.BASELINE ? { baseline: ['--require', path.resolve(process.env.BASELINE)] } : {}),
};

/** Instructions of one whole run of `calls` calls. */
async function instructions(preload, kind, calls) {
  const args = [
    '--tool=callgrind', '--smc-check=all-non-file', '--callgrind-out-file=/dev/null',
    process.execPath, '--single-threaded', ...preload, path.join(ROOT, 'bench/apps/call-loop.js'), kind, String(calls), WARMUP,
  ];
  const { stderr } = await promisify(execFile)('valgrind', args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH, OTEL_TRACES_EXPORTER: 'none', OTEL_LOG_LEVEL: 'error' },
    maxBuffer: 1 << 24,
  });
  const m = /Collected : (\d+)/.exec(stderr);
  if (!m) throw new Error(`no instruction count from valgrind:\n${stderr.slice(-2000)}`);
  return Number(m[1]);
}

for (const kind of kinds) {
  const table = {};
  for (const [name, preload] of Object.entries(VARIANTS)) {
    const [a, b] = await Promise.all([instructions(preload, kind, N1), instructions(preload, kind, N2)]);
    table[name] = { 'instructions/call': Math.round((b - a) / (N2 - N1)) };
  }
  const base = table.none['instructions/call'];
  for (const row of Object.values(table)) row['× none'] = +(row['instructions/call'] / base).toFixed(3);
  console.log(`${kind}: (instructions(${N2}) - instructions(${N1})) / ${N2 - N1} calls, warm-up ${WARMUP}, node ${process.version}`);
  console.table(table);
}
