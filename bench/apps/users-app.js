'use strict';
// The route of the fetch + pg bench app, shared by bench/apps/express-fetch-pg.js (under
// load) and bench/apps/call-loop.js `users-in` (counted): what real handlers do, one
// outbound fetch and two pg queries.
const express = require('express');
const { Pool } = require('pg');

/** An Express app whose GET /users/:id fetches `upstreamUrl` and queries PostgreSQL twice. */
function usersApp(upstreamUrl) {
  const pool = new Pool({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test', max: 4 });
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
  return app;
}

module.exports = { usersApp };
