'use strict';
// One outbound call at a time, in a loop: `fetch`, `http.get` (both to an upstream in this
// process, so each iteration also serves one request) or a `pg` query (PostgreSQL at
// 127.0.0.1:5432); or one inbound request at a time to a Fastify or Express hello-world in
// this process (`fastify-in`, `express-in`), sent over a raw keep-alive socket so that only
// the server side is instrumented. Prints the process CPU per call after a warm-up long
// enough for the JIT to settle (short runs mostly measure compilation of the agent's code).
//   node [--require waymark/register.js] bench/apps/call-loop.js fetch|http|pg|fastify-in|express-in [calls] [warm-up]
const http = require('node:http');
const net = require('node:net');

const kind = process.argv[2] || 'http';
const calls = Number(process.argv[3] || 8000);
const warmUp = Number(process.argv[4] || 3000);

const upstream = http.createServer((req, res) => res.end('{"ok":true}'));
upstream.listen(0, '127.0.0.1', async () => {
  const url = `http://127.0.0.1:${upstream.address().port}/flags`;
  let call;
  if (kind === 'fastify-in' || kind === 'express-in') {
    call = await inboundCaller(kind === 'fastify-in' ? await fastifyServer() : await expressServer());
  } else if (kind === 'fetch') {
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

/** Port of a listening Fastify hello-world (the same route as bench/apps/fastify-hello.js). */
async function fastifyServer() {
  const app = require('fastify')();
  app.get('/hello/:name', async (req) => `hello ${req.params.name}`);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return app.server.address().port;
}

/** Port of a listening Express hello-world (the same route as bench/apps/express-hello.js). */
function expressServer() {
  const app = require('express')();
  app.get('/hello/:name', (req, res) => res.send(`hello ${req.params.name}`));
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server.address().port));
  });
}

/** One GET at a time over one raw keep-alive socket; resolves when a whole response is in. */
function inboundCaller(port) {
  const request = Buffer.from('GET /hello/world HTTP/1.1\r\nHost: localhost\r\n\r\n');
  return new Promise((resolveSocket) => {
    const socket = net.connect(port, '127.0.0.1', () => resolveSocket(call));
    let pending = null;
    let seen = '';
    socket.on('data', (chunk) => {
      seen += chunk.latin1Slice(0, chunk.length);
      // Both apps answer with a Content-Length body ending in "hello world".
      if (seen.endsWith('hello world')) {
        seen = '';
        const done = pending;
        pending = null;
        done();
      }
    });
    function call() {
      return new Promise((resolve) => {
        pending = resolve;
        socket.write(request);
      });
    }
  });
}
