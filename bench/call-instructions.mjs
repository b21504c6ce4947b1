// Instructions per outbound call (http.get, fetch, pg query) or per inbound request to a
// Fastify or Express hello-world (fastify-in, express-in), counted by valgrind, for no
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
//   node bench/call-instructions.mjs [http fetch pg fastify-in express-in]     N1=500 N2=2500 WARMUP=1500
// The inbound kinds default to N1=2000 N2=6000 WARMUP=10000: with a shorter warm-up,
// TurboFan was still compiling Fastify's and the agent's code between N1 and N2 (a third
// of the difference was the compiler's own instructions).
//   BASELINE=/other/checkout/register.js node bench/call-instructions.mjs pg
// Needs valgrind (on every machine kind here) and, for pg, PostgreSQL at 127.0.0.1:5432.
// About a minute per run; two runs go in parallel.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const inbound = (kind) => kind.endsWith('-in');
const n1 = (kind) => Number(process.env.N1 || (inbound(kind) ? 2000 : 500));
const n2 = (kind) => Number(process.env.N2 || (inbound(kind) ? 6000 : 2500));
const warmUp = (kind) => process.env.WARMUP || (inbound(kind) ? '10000' : '1500');
const kinds = process.argv.slice(2).length ? process.argv.slice(2) : ['http', 'fetch', 'pg'];
// Preload arguments of each variant, by kind.
const VARIANTS = {
  none: () => [],
  // For outbound calls a store entered at startup; for inbound requests one run() per
  // request, as a server agent does.
  'als-only': (kind) => ['--require', path.join(ROOT, inbound(kind) ? 'bench/preload-als-only.js' : 'bench/preload-als-context.js')],
  'waymark-noexp': () => ['--require', path.join(ROOT, 'register.js')],
  ...(process.env.BASELINE ? { baseline: () => ['--require', path.resolve(process.env.BASELINE)] } : {}),
};

/** Instructions of one whole run of `calls` calls. */
async function instructions(preload, kind, calls) {
  const args = [
    '--tool=callgrind', '--smc-check=all-non-file', '--callgrind-out-file=/dev/null',
    process.execPath, '--single-threaded', ...preload, path.join(ROOT, 'bench/apps/call-loop.js'), kind, String(calls), warmUp(kind),
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
  const N1 = n1(kind);
  const N2 = n2(kind);
  for (const [name, preload] of Object.entries(VARIANTS)) {
    const [a, b] = await Promise.all([instructions(preload(kind), kind, N1), instructions(preload(kind), kind, N2)]);
    table[name] = { 'instructions/call': Math.round((b - a) / (N2 - N1)) };
  }
  const base = table.none['instructions/call'];
  for (const row of Object.values(table)) row['× none'] = +(row['instructions/call'] / base).toFixed(3);
  console.log(`${kind}: (instructions(${N2}) - instructions(${N1})) / ${N2 - N1} calls, warm-up ${warmUp(kind)}, node ${process.version}`);
  console.table(table);
}
