'use strict';
// One outbound call at a time, in a loop: `fetch`, `http.get` (both to an upstream in this
// process, so each iteration also serves one request) or a `pg` query (PostgreSQL at
// 127.0.0.1:5432). Prints the process CPU per call after a warm-up long enough for the
// JIT to settle (short runs mostly measure compilation of the agent's code).
//   node [--require waymark/register.js] bench/apps/call-loop.js fetch|http|pg [calls] [warm-up]
const http = require('node:http');

const kind = process.argv[2] || 'http';
const calls = Number(process.argv[3] || 8000);
const warmUp = Number(process.argv[4] || 3000);

const upstream = http.createServer((req, res) => res.end('{"ok":true}'));
upstream.listen(0, '127.0.0.1', async () => {
  const url = `http://127.0.0.1:${upstream.address().port}/flags`;
  let call;
  if (kind === 'fetch') {
    call = async () => (await fetch(url)).json();
  } else if (kind === 'pg') {
    const { Pool } = require('pg');
    const pool = new Pool({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test', max: 1 });
    call = () => pool.query('SELECT $1::int AS id', [7]);
  } else {
    call = () => new Promise((resolve, reject) => {
      http.get(url, (res) => {
        res.resume();
        res.on('end', resolve);
      }).on('error', reject);
    });
  }
  for (let i = 0; i < warmUp; i++) await call();
  const before = process.cpuUsage();
  for (let i = 0; i < calls; i++) await call();
  const used = process.cpuUsage(before);
  process.stdout.write(`${JSON.stringify({ kind, calls, cpuMicrosPerCall: (used.user + used.system) / calls })}\n`);
  process.exit(0);
});
