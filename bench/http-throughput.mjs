// Throughput, latency, memory and startup of HTTP apps under no agent, Waymark and the
// OpenTelemetry Node agent (and dd-trace if installed), measured side by side in
// alternating rounds in one run. Every request is sampled and exported to a local
// counting receiver. Server pinned to CPU 0, load generator (wrk) and receiver to CPU 1.
//
// Two load phases per server: closed loop at saturation (wrk -c32: throughput, and latency
// that is mostly queueing), then open loop at a fixed rate, the same for every agent
// (bench/open-loop.mjs: latency from each request's due time, so stalls are not hidden).
// The fixed rate is LOAD_FRACTION (0.4) of the no-agent throughput measured at the start,
// capped at MAX_RATE (10000/s, what the Node load generator sustains on one core here).
//
//   node bench/http-throughput.mjs [express-hello fastify-hello express-fetch-pg]
//   ROUNDS=3 DURATION=8 CONNECTIONS=32 to tune; results in bench/results/http-<date>.json
//   NODE_BIN=<node binary> runs the servers on that Node line; AGENT_DIR=<dir> takes the
//   OpenTelemetry agent and dd-trace from <dir>/node_modules (bench/lines.mjs sets both).
import { spawn, execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync, mkdirSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { startCountingReceiver } from './counting-receiver.mjs';

const require = createRequire(import.meta.url);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROUNDS = Number(process.env.ROUNDS || 3);
const DURATION = Number(process.env.DURATION || 8);
const CONNECTIONS = Number(process.env.CONNECTIONS || 32);
const LOAD_FRACTION = Number(process.env.LOAD_FRACTION || 0.4);
const MAX_RATE = Number(process.env.MAX_RATE || 10000);
const APPS = process.argv.slice(2).length ? process.argv.slice(2) : ['express-hello', 'fastify-hello', 'express-fetch-pg'];
const PATHS = { 'express-hello': '/hello/world', 'fastify-hello': '/hello/world', 'express-fetch-pg': '/users/7' };

function has(cmd) {
  try { execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }); return true; } catch { return false; }
}
if (!has('wrk')) {
  console.error('wrk is needed (Debian: apt-get install wrk)');
  process.exit(2);
}
const pin = has('taskset');
// This process hosts the counting receiver: keep it on the load generator's core, off the server's.
if (pin) execFileSync('taskset', ['-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
const NODE_BIN = process.env.NODE_BIN || process.execPath;
const AGENT_PATHS = process.env.AGENT_DIR ? { paths: [path.resolve(process.env.AGENT_DIR)] } : undefined;
const agentModule = (m) => { try { return require.resolve(m, AGENT_PATHS); } catch { return undefined; } };

const AGENTS = {
  none: { args: [], env: {} },
  // The floor of every AsyncLocalStorage-based agent: one ALS context per request, no spans.
  'als-only': { args: ['--require', path.join(ROOT, 'bench/preload-als-only.js')], env: {} },
  waymark: { args: ['--require', path.join(ROOT, 'register.js')], env: {} },
  otel: {
    args: ['--require', agentModule('@opentelemetry/auto-instrumentations-node/register')],
    // Cloud resource detectors would probe metadata addresses this machine cannot reach.
    env: { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none', OTEL_NODE_RESOURCE_DETECTORS: 'env,host,os,process' },
  },
};
if (!AGENTS.otel.args[1]) delete AGENTS.otel;
if (agentModule('dd-trace/init')) {
  // dd-trace speaks the Datadog agent protocol (msgpack), not OTLP: it sends to the counting
  // receiver too (which answers 200), but its spans are not counted, only its requests.
  AGENTS['dd-trace'] = { args: ['--require', agentModule('dd-trace/init')], env: { DD_TRACE_AGENT_URL: '{receiver}', DD_TRACE_SAMPLE_RATE: '1', DD_INSTRUMENTATION_TELEMETRY_ENABLED: 'false', DD_REMOTE_CONFIGURATION_ENABLED: 'false', DD_RUNTIME_METRICS_ENABLED: 'false' } };
}

function startServer(app, agent, receiverUrl) {
  const a = AGENTS[agent];
  const args = [...a.args, path.join(ROOT, 'bench/apps', `${app}.js`)];
  const cmd = pin ? 'taskset' : NODE_BIN;
  const argv = pin ? ['-c', '0', NODE_BIN, ...args] : args;
  const t0 = process.hrtime.bigint();
  const child = spawn(cmd, argv, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH, HOME: process.env.HOME,
      OTEL_SERVICE_NAME: `bench-${app}`,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiverUrl,
      OTEL_TRACES_SAMPLER: 'always_on',
      ...Object.fromEntries(Object.entries(a.env).map(([k, v]) => [k, v === '{receiver}' ? receiverUrl : v])),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errText = '';
  child.stderr.on('data', (d) => { errText += d; });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening (\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]), startupMs: Number(process.hrtime.bigint() - t0) / 1e6, stderr: () => errText });
    });
    child.on('exit', (code) => reject(new Error(`${app}/${agent} exited ${code}: ${errText}`)));
  });
}

// Asynchronous on purpose: the counting receiver lives in this process and must keep
// answering exports while wrk runs (a blocked receiver stalls the agents' exports).
async function wrk(port, seconds) {
  const args = ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '--latency', `http://127.0.0.1:${port}${PATHS[app]}`];
  const { stdout: out } = await promisify(execFile)(pin ? 'taskset' : 'wrk', pin ? ['-c', '1', 'wrk', ...args] : args, { encoding: 'utf8' });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]);
  const total = Number(/(\d+) requests in/.exec(out)[1]);
  const lat = (p) => toMs(new RegExp(`\\s${p}%\\s+([\\d.]+\\w+)`).exec(out)[1]);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  return { rps, total, p50: lat(50), p99: lat(99), non2xx };
}
// Open loop in its own process on the load generator's core (see open-loop.mjs).
async function openLoop(port, rate, seconds) {
  const args = ['--max-semi-space-size=64', path.join(ROOT, 'bench/open-loop.mjs'), String(port), PATHS[app], String(rate), String(seconds)];
  const { stdout: out } = await promisify(execFile)(pin ? 'taskset' : process.execPath, pin ? ['-c', '1', process.execPath, ...args] : args, { encoding: 'utf8' });
  return JSON.parse(out);
}
function toMs(s) {
  const m = /([\d.]+)(us|ms|s)/.exec(s);
  const v = Number(m[1]);
  return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v;
}
function rssMb(pid) {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
    return kb / 1024;
  } catch { return NaN; }
}
const median = (a) => { const s = [...a].filter(Number.isFinite).sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let app;
const receiver = await startCountingReceiver();
const raw = [];
const summary = {};
const fixedRates = {};
for (app of APPS) {
  const agents = Object.keys(AGENTS);
  const per = Object.fromEntries(agents.map((a) => [a, []]));
  // The fixed rate of the open-loop phase, from a short no-agent calibration run.
  const cal = await startServer(app, 'none', receiver.url);
  await wrk(cal.port, 2);
  const rate = Math.min(MAX_RATE, Math.round((LOAD_FRACTION * (await wrk(cal.port, 4)).rps) / 100) * 100);
  cal.child.kill('SIGKILL');
  await sleep(300);
  console.error(`${app}: open-loop rate ${rate}/s`);
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate the order every round so no agent always runs first or last.
    const order = agents.map((_, i) => agents[(i + round) % agents.length]);
    for (const agent of order) {
      const srv = await startServer(app, agent, receiver.url);
      await wrk(srv.port, 2); // warm-up (JIT, pools, connections)
      await sleep(300);
      receiver.reset();
      const r = await wrk(srv.port, DURATION);
      const rss = rssMb(srv.child.pid);
      const ol = await openLoop(srv.port, rate, DURATION);
      // The OpenTelemetry agent's register traps SIGTERM and never exits: SIGKILL after 3 s.
      const exited = new Promise((res) => srv.child.once('exit', res));
      srv.child.kill('SIGTERM');
      const killer = setTimeout(() => srv.child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(killer);
      await sleep(300);
      const got = receiver.counts();
      const row = { app, agent, round, ...r, fixedRate: ol, rssMb: +rss.toFixed(1), startupMs: +srv.startupMs.toFixed(1), spansReceived: got.spans, requestsServed: r.total + ol.completed, exportRequests: got.requests };
      raw.push(row);
      per[agent].push(row);
      console.error(`${app} ${agent} r${round}: ${r.rps.toFixed(0)} req/s p50 ${r.p50}ms p99 ${r.p99}ms; at ${rate}/s p50 ${ol.p50}ms p99 ${ol.p99}ms (${ol.completed}/${ol.sent}); rss ${row.rssMb}MB startup ${row.startupMs}ms spans ${got.spans}/${row.requestsServed}`);
    }
  }
  const base = {
    rps: median(per.none.map((x) => x.rps)), p50: median(per.none.map((x) => x.p50)), p99: median(per.none.map((x) => x.p99)),
    rss: median(per.none.map((x) => x.rssMb)), startup: median(per.none.map((x) => x.startupMs)),
    fixedP50: median(per.none.map((x) => x.fixedRate.p50)), fixedP99: median(per.none.map((x) => x.fixedRate.p99)),
  };
  summary[app] = {};
  fixedRates[app] = rate;
  for (const agent of agents) {
    const rows = per[agent];
    const m = { rps: median(rows.map((x) => x.rps)), p50: median(rows.map((x) => x.p50)), p99: median(rows.map((x) => x.p99)), rss: median(rows.map((x) => x.rssMb)), startup: median(rows.map((x) => x.startupMs)) };
    summary[app][agent] = {
      'req/s': Math.round(m.rps),
      'throughput ratio': +(m.rps / base.rps).toFixed(3),
      'p50 ratio': +(m.p50 / base.p50).toFixed(2),
      'p99 ratio': +(m.p99 / base.p99).toFixed(2),
      [`p50 ratio @${rate}/s`]: +(median(rows.map((x) => x.fixedRate.p50)) / base.fixedP50).toFixed(2),
      [`p99 ratio @${rate}/s`]: +(median(rows.map((x) => x.fixedRate.p99)) / base.fixedP99).toFixed(2),
      'RSS MB': m.rss,
      'RSS +MB': +(m.rss - base.rss).toFixed(1),
      'startup +ms': +(m.startup - base.startup).toFixed(1),
      'spans/requests': +(median(rows.map((x) => x.spansReceived / x.requestsServed)) || 0).toFixed(2),
      'export requests': median(rows.map((x) => x.exportRequests)),
    };
  }
}
await receiver.close();
const serverNode = execFileSync(NODE_BIN, ['--version'], { encoding: 'utf8' }).trim();
// The version of the package a preload file belongs to (its package.json may not be exported).
function agentVersion(file) {
  for (let dir = file && path.dirname(file); dir && dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && path.basename(path.dirname(dir)).match(/^(node_modules|@opentelemetry)$/)) {
      return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
    }
  }
  return undefined;
}
const versions = { otel: agentVersion(AGENTS.otel?.args[1]), 'dd-trace': agentVersion(AGENTS['dd-trace']?.args[1]) };
console.log(`servers on node ${serverNode} (OpenTelemetry agent ${versions.otel}, dd-trace ${versions['dd-trace'] ?? 'not installed'}); ${ROUNDS} alternating rounds × ${DURATION}s, wrk -c${CONNECTIONS}; server on CPU 0, wrk + receiver on CPU 1${pin ? '' : ' (taskset missing: unpinned)'}`);
for (const [a, rows] of Object.entries(summary)) {
  console.log(`\n${a} (open-loop phase at ${fixedRates[a]} req/s)`);
  console.table(rows);
}
mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
const file = path.join(ROOT, 'bench/results', `http-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify({ node: serverNode, agents: versions, rounds: ROUNDS, duration: DURATION, connections: CONNECTIONS, loadFraction: LOAD_FRACTION, fixedRates, summary, raw }, null, 2));
console.log(`\nraw results: ${path.relative(ROOT, file)}`);
