// `npm run bench`: bench/http-throughput.mjs on each Node line, Node 24 first, then every other
// line this machine has (its own Node, and the releases .ci/node-line keeps in
// ~/.cache/waymark-node), then one table of throughput ratios with a column per line.
// Each line is compared with the OpenTelemetry agent at its latest version for that line:
// auto-instrumentations-node 0.82+ needs Node >= 22.15, so for those lines it is installed
// with dd-trace into a bench-only directory (~/.cache/waymark-bench/agents, once; the
// devDependency 0.81 stays for Node 20, where dd-trace runs only if installed:
// `npm i --no-save dd-trace@5`). Node 20's column keeps the AsyncLocalStorage-alone row:
// there it is the floor every ALS-based agent pays.
//   node bench/lines.mjs [apps...]       LINES="24 26" to choose; ROUNDS=, DURATION= as http-throughput
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = process.env.WAYMARK_NODE_CACHE || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'waymark-node');
const AGENT_DIR = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'waymark-bench', 'agents');
const major = (v) => Number(/^v?(\d+)/.exec(v)[1]);
const atLeast = (v, [a, b]) => { const [x, y] = v.replace(/^v/, '').split('.').map(Number); return x > a || (x === a && y >= b); };

/** node binary per major: the machine's, the newest cached release of each line, 24 fetched if missing. */
function findLines() {
  const lines = new Map([[major(process.version), process.execPath]]);
  const cached = existsSync(CACHE) ? readdirSync(CACHE).filter((v) => existsSync(path.join(CACHE, v, 'bin/node'))) : [];
  cached.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  for (const v of cached) lines.set(major(v), path.join(CACHE, v, 'bin/node'));
  if (!lines.has(24)) {
    try {
      lines.set(24, path.join(execFileSync(path.join(ROOT, '.ci/node-line'), ['24'], { encoding: 'utf8' }).trim(), 'node'));
    } catch (err) {
      console.error(`Node 24 not available: ${err.message}`);
    }
  }
  const wanted = process.env.LINES ? process.env.LINES.split(/[\s,]+/).map(Number) : [...lines.keys()];
  return [...lines].filter(([m]) => wanted.includes(m)).sort(([a], [b]) => (a === 24 ? -1 : b === 24 ? 1 : a - b));
}

/** The latest OpenTelemetry agent and dd-trace, installed once into a bench-only directory. */
function latestAgents() {
  if (!existsSync(path.join(AGENT_DIR, 'node_modules/@opentelemetry/auto-instrumentations-node'))) {
    mkdirSync(AGENT_DIR, { recursive: true });
    console.error(`installing the latest OpenTelemetry agent and dd-trace into ${AGENT_DIR}`);
    execFileSync('npm', ['install', '--prefix', AGENT_DIR, '--no-audit', '--no-fund', '--no-save', '--engine-strict=false',
      '@opentelemetry/auto-instrumentations-node@latest', 'dd-trace@latest'], { stdio: 'inherit' });
  }
  return AGENT_DIR;
}

function run(node, apps) {
  const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  const env = { ...process.env, NODE_BIN: node };
  if (atLeast(version, [22, 15])) env.AGENT_DIR = latestAgents();
  console.error(`\n=== servers on node ${version}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bench/http-throughput.mjs'), ...apps], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; process.stdout.write(d); });
    child.on('exit', (code) => {
      const m = /raw results: (\S+)/.exec(out);
      if (code !== 0 || !m) return reject(new Error(`http-throughput on ${version} exited ${code}`));
      resolve(JSON.parse(readFileSync(path.join(ROOT, m[1]), 'utf8')));
    });
  });
}

const apps = process.argv.slice(2);
const results = [];
for (const [, node] of findLines()) {
  try {
    results.push(await run(node, apps));
  } catch (err) {
    console.error(err.message);
  }
}
// One row per app and agent, one column per line: throughput as a share of no agent.
const table = {};
for (const r of results) {
  const col = `${r.node}${r.agents?.otel ? ` (OTel ${r.agents.otel})` : ''}`;
  for (const [app, agents] of Object.entries(r.summary)) {
    for (const [agent, s] of Object.entries(agents)) {
      if (agent === 'none') continue;
      (table[`${app} ${agent}`] ??= {})[col] = `${(s['throughput ratio'] * 100).toFixed(1)}%`;
    }
  }
}
console.log('\nthroughput, share of no agent on the same line (alternating rounds per line):');
console.table(table);
