'use strict';
// The activity worker: consumes the `user.viewed` messages the users service publishes on
// NATS and records each view in PostgreSQL (`user_views`, created by the runner's seed).
// No tracing code: the agent, preloaded with --require, continues the publishing request's
// trace from the message's headers.
const { Pool } = require('pg');
const { connectQueue, userViewedSubject } = require('./queue');

const NATS_URL = process.env.NATS_URL || 'nats://127.0.0.1:4222';
const USER_VIEWED = userViewedSubject();
// One connection, opened at start and kept: a bad DATABASE_URL stops the worker at once,
// and a view is recorded without a connection handshake first.
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 1, idleTimeoutMillis: 0 });

async function recordView({ userId, viewedAt }) {
  await pool.query('INSERT INTO user_views (user_id, viewed_at) VALUES ($1, $2)', [userId, viewedAt]);
  process.send?.({ recorded: userId }); // to the demo's runner, when it started this worker
}

async function main() {
  const queue = await connectQueue(NATS_URL, 'activity');
  if (queue.url === undefined) {
    console.log(`activity: no NATS reachable at ${NATS_URL}, nothing to consume`);
    process.send?.({ ready: true, queue: undefined });
    return;
  }
  (await pool.connect()).release();
  await queue.consume(USER_VIEWED, recordView);
  console.log(`activity consuming ${USER_VIEWED} from ${queue.url}`);
  process.send?.({ ready: true, queue: queue.url });
}

main().catch((err) => {
  console.error(`activity could not start: ${err.message}`);
  process.exit(1);
});
