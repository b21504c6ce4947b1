// Added startup: time from spawn to "ready" for an app that loads express, under no agent,
// Waymark and the OpenTelemetry Node agent, in alternating rounds; median per agent.
//   node bench/startup.mjs        (ROUNDS=21)
//   BASELINE=/path/to/other/checkout/register.js node bench/startup.mjs   (adds that agent: before/after)
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROUNDS = Number(process.env.ROUNDS || 21);
const AGENTS = {
  none: [],
  waymark: ['--require', path.join(ROOT, 'register.js')],
  otel: ['--require', '@opentelemetry/auto-instrumentations-node/register'],
  ...(process.env.BASELINE ? { baseline: ['--require', path.resolve(process.env.BASELINE)] } : {}),
};
const ENV = {
  PATH: process.env.PATH,
  OTEL_TRACES_EXPORTER: 'otlp',
  OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', // nothing is exported during startup
  OTEL_METRICS_EXPORTER: 'none',
  OTEL_LOGS_EXPORTER: 'none',
  OTEL_NODE_RESOURCE_DETECTORS: 'env,host,os,process',
};

function once(args) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, [...args, path.join(ROOT, 'bench/apps/startup-express.js')], { cwd: ROOT, env: ENV, stdio: ['ignore', 'pipe', 'ignore'] });
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
const base = median(times.none);
console.log(`node ${process.version}; ${ROUNDS} alternating rounds; spawn → "ready" after require('express')`);
console.table(Object.fromEntries(Object.entries(times).map(([a, t]) => [a, { 'median ms': +median(t).toFixed(1), 'added ms': +(median(t) - base).toFixed(1) }])));
