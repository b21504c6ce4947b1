'use strict';
// One outbound call at a time, in a loop: `fetch`, `http.get` (both to an upstream in this
// process, so each iteration also serves one request) or a `pg` query (PostgreSQL at
// 127.0.0.1:5432); or one inbound request at a time to a Fastify or Express hello-world in
// this process (`fastify-in`, `express-in`), sent over a raw keep-alive socket so that only
// the server side is instrumented; `users-in` is the route of bench/apps/express-fetch-pg.js
// (one fetch and two pg queries per request). Prints the process CPU per call after a
// warm-up long enough for the JIT to settle (short runs mostly measure compilation of the
// agent's code).
//   node [--require waymark/register.js] bench/apps/call-loop.js fetch|http|pg|fastify-in|express-in|koa-in|users-in [calls] [warm-up]
const http = require('node:http');
const net = require('node:net');

const kind = process.argv[2] || 'http';
const calls = Number(process.argv[3] || 8000);
const warmUp = Number(process.argv[4] || 3000);
// Inbound kinds: requests in flight per call (see inboundCallers).
const CONCURRENCY = Number(process.env.CONCURRENCY || 1);

const upstream = http.createServer((req, res) => res.end('{"ok":true}'));
upstream.listen(0, '127.0.0.1', async () => {
  const url = `http://127.0.0.1:${upstream.address().port}/flags`;
  let call;
  if (kind === 'fastify-in' || kind === 'express-in' || kind === 'koa-in') {
    const port = kind === 'fastify-in' ? await fastifyServer() : kind === 'koa-in' ? await koaServer() : await expressServer();
    call = await inboundCallers(port, '/hello/world', 'hello world');
  } else if (kind === 'users-in') {
    call = await inboundCallers(await usersServer(url), '/users/7', '"flags":{"ok":true}}');
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
  noIdleTimeout(app.server);
  return app.server.address().port;
}

/** Port of a listening Express hello-world (the same route as bench/apps/express-hello.js). */
function expressServer() {
  const app = require('express')();
  app.get('/hello/:name', (req, res) => res.send(`hello ${req.params.name}`));
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server.address().port));
    noIdleTimeout(server);
  });
}

/** Port of a listening Koa hello-world: a timing middleware and an @koa/router route. */
function koaServer() {
  const Koa = require('koa');
  const Router = require('@koa/router');
  const app = new Koa();
  app.use(async (ctx, next) => {
    await next();
    ctx.set('x-done', '1');
  });
  const router = new Router();
  router.get('/hello/:name', (ctx) => {
    ctx.body = `hello ${ctx.params.name}`;
  });
  app.use(router.routes());
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server.address().port));
    noIdleTimeout(server);
  });
}

/** Port of the route of bench/apps/express-fetch-pg.js (fetch to `upstreamUrl`, two pg queries). */
function usersServer(upstreamUrl) {
  const app = require('./users-app').usersApp(upstreamUrl);
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server.address().port));
    noIdleTimeout(server);
  });
}

/**
 * With several requests in flight (CONCURRENCY) under valgrind, a socket whose request is
 * done can wait for the others longer than the default 5 s keep-alive timeout: keep idle
 * sockets open then. Only then: the timeouts cost instructions on every request, and one
 * request at a time should measure the apps as they are.
 */
function noIdleTimeout(server) {
  if (CONCURRENCY === 1) return;
  server.keepAliveTimeout = 0;
  server.requestTimeout = 0;
  server.headersTimeout = 0;
}

/**
 * CONCURRENCY=n (default 1): a call is one request on each of n sockets at once, so n
 * requests are in flight, as under a load generator (count per call / n per request).
 */
async function inboundCallers(port, path, bodyEnd) {
  // One request on a socket of its own first. An agent's AsyncLocalStorage turns its hooks
  // on at the first request, and a server under load keeps accepting connections after
  // that: the measured sockets then arrive with the hooks on, as they would, so their
  // handle types reach the hooks' inline caches (with 5 or more resource types, the store
  // of every async resource's context goes megamorphic).
  const first = await inboundCaller(port, path, bodyEnd);
  await first();
  first.socket.destroy();
  if (CONCURRENCY === 1) return inboundCaller(port, path, bodyEnd);
  const callers = await Promise.all(Array.from({ length: CONCURRENCY }, () => inboundCaller(port, path, bodyEnd)));
  return () => Promise.all(callers.map((c) => c()));
}

/**
 * One GET of `path` at a time over one raw keep-alive socket; resolves when a whole
 * response is in (its body ends with `bodyEnd`).
 */
function inboundCaller(port, path, bodyEnd) {
  const request = Buffer.from(`GET ${path} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
  return new Promise((resolveSocket) => {
    const socket = net.connect(port, '127.0.0.1', () => resolveSocket(call));
    let pending = null;
    let seen = '';
    socket.on('data', (chunk) => {
      seen += chunk.latin1Slice(0, chunk.length);
      // Every app here answers with a Content-Length body ending in `bodyEnd`.
      if (seen.endsWith(bodyEnd)) {
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
    call.socket = socket;
  });
}
