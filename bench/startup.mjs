// Added startup: time from spawn to "ready" for an app that loads express, under no agent,
// Waymark and the OpenTelemetry Node agent, in alternating rounds; median per agent. The ESM
// rows import express from an .mjs app, with Waymark as `--import register.mjs`, and are
// compared with the same app without an agent.
//   node bench/startup.mjs        (ROUNDS=21; ONLY=none,waymark,none-esm,waymark-esm)
//   BASELINE=/path/to/other/checkout/register.js node bench/startup.mjs   (adds that agent: before/after)
//   INSTRUCTIONS=1: instead, each variant once under valgrind (callgrind), instructions from
//   spawn to exit, all threads: independent of the machine's load, but blind to time spent
//   waiting (Node 20's wait for its ESM loader thread is counted only as that thread's work).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROUNDS = Number(process.env.ROUNDS || 21);
const CJS_APP = path.join(ROOT, 'bench/apps/startup-express.js');
const ESM_APP = path.join(ROOT, 'bench/apps/startup-express.mjs');
const AGENTS = {
  none: [CJS_APP],
  waymark: ['--require', path.join(ROOT, 'register.js'), CJS_APP],
  otel: ['--require', '@opentelemetry/auto-instrumentations-node/register', CJS_APP],
  ...(process.env.BASELINE ? { baseline: ['--require', path.resolve(process.env.BASELINE), CJS_APP] } : {}),
  'none-esm': [ESM_APP],
  'waymark-esm': ['--import', path.join(ROOT, 'register.mjs'), ESM_APP],
  ...(process.env.BASELINE ? { 'baseline-esm': ['--import', path.resolve(path.dirname(process.env.BASELINE), 'register.mjs'), ESM_APP] } : {}),
};
if (process.env.ONLY) for (const name of Object.keys(AGENTS)) if (!process.env.ONLY.split(',').includes(name)) delete AGENTS[name];
const ENV = {
  PATH: process.env.PATH,
  OTEL_TRACES_EXPORTER: 'otlp',
  OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', // nothing is exported during startup
  OTEL_METRICS_EXPORTER: 'none',
  OTEL_LOGS_EXPORTER: 'none',
  OTEL_NODE_RESOURCE_DETECTORS: 'env,host,os,process',
};

async function instructions(args) {
  const { execFile } = await import('node:child_process');
  const { promisify } = await import('node:util');
  const argv = ['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath, '--single-threaded', ...args];
  const { stderr } = await promisify(execFile)('valgrind', argv, { cwd: ROOT, env: ENV, maxBuffer: 1 << 24 });
  return Number(/Collected : (\d+)/.exec(stderr)[1]);
}
if (process.env.INSTRUCTIONS) {
  const counts = Object.fromEntries(await Promise.all(Object.entries(AGENTS).map(async ([a, args]) => [a, await instructions(args)])));
  const base = (a) => counts[a.endsWith('-esm') ? 'none-esm' : 'none'];
  console.log(`node ${process.version}; instructions from spawn to exit after loading express (valgrind)`);
  console.table(Object.fromEntries(Object.entries(counts).map(([a, n]) => [a, { 'M instructions': +(n / 1e6).toFixed(1), 'added M': +((n - base(a)) / 1e6).toFixed(1) }])));
  process.exit(0);
}

function once(args) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { cwd: ROOT, env: ENV, stdio: ['ignore', 'pipe', 'ignore'] });
    child.stdout.on('data', (d) => {
      if (String(d).includes('ready')) {
        resolve(Number(process.hrtime.bigint() - t0) / 1e6);
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
  });
}

const times = Object.fromEntries(Object.keys(AGENTS).map((a) => [a, []]));
for (let r = 0; r < ROUNDS; r++) {
  const names = Object.keys(AGENTS);
  for (let i = 0; i < names.length; i++) {
    const a = names[(i + r) % names.length];
    times[a].push(await once(AGENTS[a]));
  }
}
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
// Each row is compared with the no-agent app of its module system.
const base = (a) => median(times[a.endsWith('-esm') ? 'none-esm' : 'none'] ?? [NaN]);
console.log(`node ${process.version}; ${ROUNDS} alternating rounds; spawn → "ready" after loading express`);
console.table(Object.fromEntries(Object.entries(times).map(([a, t]) => [a, { 'median ms': +median(t).toFixed(1), 'added ms': +(median(t) - base(a)).toFixed(1) }])));
