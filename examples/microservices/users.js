'use strict';
// The users service (Express): GET /users/:id reads PostgreSQL with `pg`, caches in Redis
// when one is reachable, and publishes a `user.viewed` message on NATS when one is reachable
// (the activity worker records it). No tracing code: the agent, preloaded with --require,
// traces it and carries the trace in the message's headers.
const express = require('express');
const { Pool } = require('pg');
const { connectCache } = require('./cache');
const { connectQueue, userViewedSubject } = require('./queue');

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
const app = express();

const USER_VIEWED = userViewedSubject();

const QUERY = 'SELECT id, name, email, settings FROM users WHERE id = $1';
// The demo's slow request (the tutorial's "Debugging Slow Request"): user 7 is looked up
// through a query that stands in for one missing its index.
const SLOW_USER = 7;
const SLOW_QUERY = 'SELECT id, name, email, settings FROM users, pg_sleep(1.2) WHERE id = $1';

async function main() {
  const [cache, queue] = await Promise.all([
    connectCache(process.env.REDIS_URL || 'redis://127.0.0.1:6379'),
    connectQueue(process.env.NATS_URL || 'nats://127.0.0.1:4222', 'users'),
  ]);
  // Each user returned is a view: announced on the queue, then sent.
  const answer = (res, user) => {
    queue.publish(USER_VIEWED, { userId: user.id, viewedAt: new Date().toISOString() });
    res.json(user);
  };

  app.get('/users/:id', async (req, res) => {
    const id = Number(req.params.id);
    if (!Number.isInteger(id)) return res.status(400).json({ error: 'user ids are numbers' });
    const cached = await cache.get(`user:${id}`);
    if (cached) return answer(res, JSON.parse(cached));

    const { rows } = await pool.query(id === SLOW_USER ? SLOW_QUERY : QUERY, [id]);
    if (rows.length === 0) return res.status(404).json({ error: 'no such user' });
    const row = rows[0];
    // User 13's stored settings are corrupt JSON: this throws, and the request fails with a 500.
    const user = { id: row.id, name: row.name, email: row.email, settings: JSON.parse(row.settings) };
    await cache.set(`user:${id}`, JSON.stringify(user));
    answer(res, user);
  });

  app.use((err, req, res, _next) => {
    console.error(`users: ${req.method} ${req.originalUrl} failed: ${err.message}`);
    res.status(500).json({ error: 'internal error' });
  });

  const server = app.listen(Number(process.env.PORT ?? 3002), '127.0.0.1', () => {
    const { port } = server.address();
    console.log(
      `users listening on http://127.0.0.1:${port} (cache: ${cache.url ?? 'none, Redis not reachable'}; ` +
        `queue: ${queue.url ?? 'none, NATS not reachable'})`,
    );
    process.send?.({ ready: true, port, cache: cache.url, queue: queue.url });
  });
}

main().catch((err) => {
  console.error(`users could not start: ${err.message}`);
  process.exit(1);
});
