// Where an agent's per-request cost goes, in steps, measured as server CPU per request
// (µs, from /proc; all threads, and the part off the main thread) under the same
// closed-loop load, in alternating rounds:
//   none          no agent
//   hook-only     an async_hooks init hook that does nothing (bench/preload-async-hook-only.js)
//   als-only      an AsyncLocalStorage context per request and nothing else: the floor of
//                 every ALS-based agent (bench/preload-als-only.js)
//   waymark-noexp Waymark with OTEL_TRACES_EXPORTER=none: spans made and ended, not exported
//   waymark       Waymark exporting every span to the counting receiver
//   baseline      (with BASELINE=<another checkout>/register.js) that build, exporting: a
//                 before/after of a change in the same alternating rounds
// Server pinned to CPU 0, wrk and the receiver (this process) to CPU 1.
//
//   node bench/cost-breakdown.mjs [fastify-hello|express-hello|express-fetch-pg]
//   ROUNDS=3 DURATION=5 BASELINE=../before/register.js ONLY=waymark,baseline
//   BASELINE=./register.js BASELINE_ENV=OTEL_BSP_MAX_EXPORT_BATCH_SIZE=2048  (same build, other settings)
//   RATE=8000: a fixed offered load (bench/open-loop.mjs) instead of wrk at saturation. At
//   saturation a slower server also answers fewer requests per wakeup, which raises its
//   kernel time per request: the closed-loop figure includes that amplification, the
//   fixed-rate one does not.
import { spawn, execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCountingReceiver } from './counting-receiver.mjs';
import { openLoop } from './open-loop.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROUNDS = Number(process.env.ROUNDS || 3);
const DURATION = Number(process.env.DURATION || 5);
const app = process.argv[2] || 'fastify-hello';
const urlPath = app === 'express-fetch-pg' ? '/users/7' : '/hello/world';
execFileSync('taskset', ['-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });

const VARIANTS = {
  none: { args: [], env: {} },
  'hook-only': { args: ['--require', path.join(ROOT, 'bench/preload-async-hook-only.js')], env: {} },
  'als-only': { args: ['--require', path.join(ROOT, 'bench/preload-als-only.js')], env: {} },
  'waymark-noexp': { args: ['--require', path.join(ROOT, 'register.js')], env: { OTEL_TRACES_EXPORTER: 'none' } },
  waymark: { args: ['--require', path.join(ROOT, 'register.js')], env: {} },
};
// BASELINE_ENV=K=V,K=V: environment of the baseline only (the same build with other settings).
const baselineEnv = Object.fromEntries((process.env.BASELINE_ENV || '').split(',').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
if (process.env.BASELINE) VARIANTS.baseline = { args: ['--require', path.resolve(process.env.BASELINE)], env: baselineEnv };
// ONLY=waymark,baseline: just those variants and none (more rounds of a before/after in the same time).
if (process.env.ONLY) for (const name of Object.keys(VARIANTS)) if (name !== 'none' && !process.env.ONLY.split(',').includes(name)) delete VARIANTS[name];

const receiver = await startCountingReceiver();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** utime + stime of a process or thread (`/proc/<pid>/task/<tid>/stat`), in µs. */
function cpuMicros(statFile) {
  const fields = readFileSync(statFile, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}
/**
 * CPU of the whole process and of its main thread. The rest is V8's helper threads
 * (parallel scavenges, concurrent marking, compilation) and libuv's pool: on the one core
 * the server is pinned to, they take turns with the main thread.
 */
const cpu = (pid) => ({ all: cpuMicros(`/proc/${pid}/stat`), main: cpuMicros(`/proc/${pid}/task/${pid}/stat`) });
const RATE = Number(process.env.RATE || 0);
const wrk = async (port, seconds) =>
  (await promisify(execFile)('taskset', ['-c', '1', 'wrk', '-t1', '-c32', `-d${seconds}s`, `http://127.0.0.1:${port}${urlPath}`])).stdout;

async function measure(name) {
  const v = VARIANTS[name];
  const env = { PATH: process.env.PATH, OTEL_SERVICE_NAME: 'breakdown', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_TRACES_SAMPLER: 'always_on', ...v.env };
  const child = spawn('taskset', ['-c', '0', process.execPath, ...v.args, path.join(ROOT, 'bench/apps', `${app}.js`)], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening (\d+)/.exec(out);
      if (m) resolve(m[1]);
    });
  });
  await wrk(port, 2);
  await sleep(200);
  receiver.reset();
  const before = cpu(child.pid);
  let requests;
  let rps;
  if (RATE > 0) {
    const r = await openLoop({ port, path: urlPath, rate: RATE, seconds: DURATION });
    requests = r.completed;
    rps = r.completed / DURATION;
  } else {
    const out = await wrk(port, DURATION);
    requests = Number(/(\d+) requests in/.exec(out)[1]);
    rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]);
  }
  const after = cpu(child.pid);
  const used = after.all - before.all;
  const offMain = used - (after.main - before.main);
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
  return { rps, usPerRequest: used / requests, offMainPerRequest: offMain / requests, spansPerRequest: receiver.counts().spans / requests };
}

const results = Object.fromEntries(Object.keys(VARIANTS).map((k) => [k, []]));
for (let round = 0; round < ROUNDS; round++) {
  const names = Object.keys(VARIANTS);
  for (const name of round % 2 ? names.reverse() : names) {
    const r = await measure(name);
    results[name].push(r);
    console.error(`${name} r${round}: ${r.rps.toFixed(0)} req/s, ${r.usPerRequest.toFixed(1)} µs CPU/request (${r.offMainPerRequest.toFixed(1)} off the main thread), ${r.spansPerRequest.toFixed(2)} spans/request`);
  }
}
await receiver.close();
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const base = median(results.none.map((r) => r.usPerRequest));
const baseRps = median(results.none.map((r) => r.rps));
let previous = base;
const table = {};
for (const [name, rows] of Object.entries(results)) {
  const us = median(rows.map((r) => r.usPerRequest));
  table[name] = {
    'µs CPU/request': +us.toFixed(1),
    // For the baseline, the step is its difference from this build (positive: it costs more).
    'step +µs': +(us - previous).toFixed(1),
    'total +µs': +(us - base).toFixed(1),
    'off main thread µs': +median(rows.map((r) => r.offMainPerRequest)).toFixed(1),
    'throughput ratio': +(median(rows.map((r) => r.rps)) / baseRps).toFixed(3),
  };
  previous = us;
}
console.log(`${app}: ${ROUNDS} alternating rounds × ${DURATION}s, ${RATE > 0 ? `open loop at ${RATE}/s` : 'wrk -c32'}, node ${process.version}`);
console.table(table);
