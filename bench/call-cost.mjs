// CPU per outbound call (fetch, http.get, pg query) under no agent, an AsyncLocalStorage
// context only (the floor of every ALS-based agent), and Waymark without export, in
// alternating runs pinned to one core. Complements cost-breakdown.mjs, which measures a
// whole server: this isolates what one instrumented library call costs.
//   node bench/call-cost.mjs [fetch http pg]    RUNS=3 CALLS=8000 WARMUP=3000
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.RUNS || 3);
const CALLS = process.env.CALLS || '8000';
const WARMUP = process.env.WARMUP || '3000';
const kinds = process.argv.slice(2).length ? process.argv.slice(2) : ['http', 'fetch', 'pg'];
const VARIANTS = {
  none: [],
  'als-only': ['--require', path.join(ROOT, 'bench/preload-als-context.js')],
  'waymark-noexp': ['--require', path.join(ROOT, 'register.js')],
};

const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
for (const kind of kinds) {
  const per = Object.fromEntries(Object.keys(VARIANTS).map((v) => [v, []]));
  for (let run = 0; run < RUNS; run++) {
    for (const [name, args] of Object.entries(VARIANTS)) {
      const { stdout } = await promisify(execFile)('taskset', ['-c', '0', process.execPath, ...args, path.join(ROOT, 'bench/apps/call-loop.js'), kind, CALLS, WARMUP], {
        cwd: ROOT,
        env: { PATH: process.env.PATH, OTEL_TRACES_EXPORTER: 'none', OTEL_LOG_LEVEL: 'error' },
      });
      per[name].push(JSON.parse(stdout.trim().split('\n').pop()).cpuMicrosPerCall);
    }
  }
  const base = median(per.none);
  const table = {};
  for (const [name, values] of Object.entries(per)) {
    table[name] = { 'µs CPU/call': +median(values).toFixed(1), '+µs': +(median(values) - base).toFixed(1) };
  }
  console.log(`${kind}: median of ${RUNS} runs × ${CALLS} calls (after ${WARMUP}), node ${process.version}`);
  console.table(table);
}
