'use strict';
// One route that does what real handlers do: an outbound fetch and two pg queries.
const express = require('express');
const http = require('node:http');
const { Pool } = require('pg');

const pool = new Pool({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test', max: 4 });
// A tiny upstream in the same process for the fetch to hit.
const upstream = http.createServer((req, res) => res.end('{"ok":true}'));
upstream.listen(0, '127.0.0.1', () => {
  const upstreamUrl = `http://127.0.0.1:${upstream.address().port}/flags`;
  const app = express();
  app.get('/users/:id', async (req, res, next) => {
    try {
      const flags = await (await fetch(upstreamUrl)).json();
      const a = await pool.query('SELECT $1::int AS id, $2::text AS name', [Number(req.params.id), 'ada']);
      const b = await pool.query('SELECT 1 + $1::int AS n', [Number(req.params.id)]);
      res.json({ user: a.rows[0], n: b.rows[0].n, flags });
    } catch (err) {
      next(err);
    }
  });
  const server = app.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
    process.stdout.write(`listening ${server.address().port}\n`);
  });
});
