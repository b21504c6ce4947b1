// Instructions per outbound call (http.get, fetch, pg query) or per inbound request to a
// Fastify, Express or Koa hello-world (fastify-in, express-in, koa-in) or to the fetch + 2 pg route of
// bench/apps/express-fetch-pg.js (users-in), counted by valgrind, for no agent, an
// AsyncLocalStorage context only, Waymark without export, Waymark exporting every span to a
// counting receiver in this process (and optionally a second Waymark build). Counts do not
// depend on what else the machine runs, so changes of a few percent show that CPU-time runs
// on this shared 2-core machine cannot resolve.
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
//   node bench/call-instructions.mjs [http fetch pg fastify-in express-in koa-in]     N1=500 N2=2548 WARMUP=1500
// The inbound kinds default to N1=2000 N2=6096 WARMUP=10000: with a shorter warm-up,
// TurboFan was still compiling Fastify's and the agent's code between N1 and N2 (a third
// of the difference was the compiler's own instructions).
//   BASELINE=/other/checkout/register.js node bench/call-instructions.mjs pg
//   (BASELINE_EXPORT=1: the baseline exports too; ONLY=waymark,baseline: those variants and none)
//   STEPS=1 node bench/call-instructions.mjs fastify-in   (the agent's cost split in steps)
// With export on, the window also holds compilation of the export path (it runs once per
// 512 spans, so it warms up slowly) and the promotions and old-generation GC of queued spans.
// Needs valgrind (on every machine kind here) and, for pg, PostgreSQL at 127.0.0.1:5432.
// About a minute per run; two runs go in parallel.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCountingReceiver } from './counting-receiver.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const inbound = (kind) => kind.endsWith('-in');
// N2 - N1 is a multiple of 512 calls (the default batch size): with export on, both runs
// then leave the same number of spans in the queue for the exit flush, whatever the number
// of spans per call.
const n1 = (kind) => Number(process.env.N1 || (inbound(kind) ? 2000 : 500));
const n2 = (kind) => Number(process.env.N2 || (inbound(kind) ? 6096 : 2548));
const warmUp = (kind) => process.env.WARMUP || (inbound(kind) ? '10000' : '1500');
const kinds = process.argv.slice(2).length ? process.argv.slice(2) : ['http', 'fetch', 'pg'];
const register = path.join(ROOT, 'register.js');
// Preload arguments and environment of each variant, by kind.
const VARIANTS = {
  none: { preload: () => [] },
  // For outbound calls a store entered at startup; for inbound requests one run() per
  // request, as a server agent does.
  'als-only': { preload: (kind) => ['--require', path.join(ROOT, inbound(kind) ? 'bench/preload-als-only.js' : 'bench/preload-als-context.js')] },
  'waymark-noexp': { preload: () => ['--require', register] },
  // Exporting to the counting receiver in this process (its work is not counted).
  waymark: { preload: () => ['--require', register], exporting: true },
  // STEPS=1: the agent with parts of its work turned off, to split its cost in steps:
  // hooks and context with every span sampled out (no span recorded; propagation and the
  // request state still run), then the spans of the http instrumentation alone (no
  // framework route naming), then everything without export (waymark-noexp).
  ...(process.env.STEPS === '1'
    ? {
        'waymark-unsampled': { preload: () => ['--require', register], env: { OTEL_TRACES_SAMPLER: 'always_off' } },
        'waymark-http-only': { preload: () => ['--require', register], env: { OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http' } },
      }
    : {}),
  ...(process.env.BASELINE ? { baseline: { preload: () => ['--require', path.resolve(process.env.BASELINE)], exporting: process.env.BASELINE_EXPORT === '1' } } : {}),
};
// ONLY=waymark,baseline: just those variants and none.
if (process.env.ONLY) for (const name of Object.keys(VARIANTS)) if (name !== 'none' && !process.env.ONLY.split(',').includes(name)) delete VARIANTS[name];
const receiver = await startCountingReceiver();

// CONCURRENCY=n (inbound kinds): n requests in flight per call, as under a load generator
// (call-loop.js); the table is then per request.
const CONCURRENCY = Number(process.env.CONCURRENCY || 1);
// OTEL_NODE_DISABLED_INSTRUMENTATIONS is passed on: the cost of one instrumentation is the
// difference between a run with it and one without (`koa-in` with and without `koa`).
const common = {
  PATH: process.env.PATH,
  OTEL_LOG_LEVEL: 'error',
  CONCURRENCY: String(CONCURRENCY),
  ...(process.env.OTEL_NODE_DISABLED_INSTRUMENTATIONS ? { OTEL_NODE_DISABLED_INSTRUMENTATIONS: process.env.OTEL_NODE_DISABLED_INSTRUMENTATIONS } : {}),
};

// Only full batches are exported during a run (the rest at exit). Under valgrind the app runs
// ~100× slower, so the default 5 s schedule delay fired every few hundred requests and each
// run exported a different number of partial batches: repeats of one build moved by up to
// 60k instructions per request.
const EXPORT_ONLY_FULL_BATCHES = '3600000';

/** Instructions of one whole run of `calls` calls. */
async function instructions(variant, kind, calls) {
  const args = [
    '--tool=callgrind', '--smc-check=all-non-file', '--callgrind-out-file=/dev/null',
    process.execPath, '--single-threaded', ...variant.preload(kind), path.join(ROOT, 'bench/apps/call-loop.js'), kind, String(calls), warmUp(kind),
  ];
  const { stderr } = await promisify(execFile)('valgrind', args, {
    cwd: ROOT,
    env: variant.exporting
      ? { ...common, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: EXPORT_ONLY_FULL_BATCHES, ...variant.env }
      : { ...common, OTEL_TRACES_EXPORTER: 'none', ...variant.env },
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
  for (const [name, variant] of Object.entries(VARIANTS)) {
    receiver.reset();
    const [a, b] = await Promise.all([instructions(variant, kind, N1), instructions(variant, kind, N2)]);
    // Spans the two runs exported, per call made (warm-ups included): a check that export ran.
    const per = inbound(kind) ? CONCURRENCY : 1;
    const spans = receiver.counts().spans / (N1 + N2 + 2 * Number(warmUp(kind))) / per;
    table[name] = { 'instructions/call': Math.round((b - a) / (N2 - N1) / per), 'spans exported/call': +spans.toFixed(2) };
  }
  const base = table.none['instructions/call'];
  for (const row of Object.values(table)) row['× none'] = +(row['instructions/call'] / base).toFixed(3);
  const perRequest = inbound(kind) && CONCURRENCY > 1 ? `, ${CONCURRENCY} requests in flight per call (figures per request)` : '';
  console.log(`${kind}: (instructions(${N2}) - instructions(${N1})) / ${N2 - N1} calls, warm-up ${warmUp(kind)}${perRequest}, node ${process.version}`);
  console.table(table);
}
await receiver.close();
