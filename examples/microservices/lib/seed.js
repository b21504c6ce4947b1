'use strict';
// The demo's data: a small `users` table (user 13's settings are deliberately corrupt), and
// the `user_views` table the activity worker writes to.
const { Client } = require('pg');

const USERS = [
  [1, 'Ada Lovelace', 'ada@example.com', '{"theme":"light"}'],
  [2, 'Grace Hopper', 'grace@example.com', '{"theme":"dark"}'],
  [3, 'Alan Turing', 'alan@example.com', '{"theme":"light"}'],
  [7, 'Edsger Dijkstra', 'edsger@example.com', '{"theme":"dark"}'],
  [13, 'Ken Thompson', 'ken@example.com', '{"theme": "dark",'],
];

/** Creates the tables and fills `users` (idempotent), through the same wire protocol the services use. */
async function seedDatabase(url) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('CREATE TABLE IF NOT EXISTS users (id integer PRIMARY KEY, name text NOT NULL, email text NOT NULL, settings text NOT NULL)');
    await client.query('CREATE TABLE IF NOT EXISTS user_views (user_id integer NOT NULL, viewed_at timestamptz NOT NULL)');
    for (const row of USERS) {
      await client.query(
        'INSERT INTO users (id, name, email, settings) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO UPDATE SET name = $2, email = $3, settings = $4',
        row,
      );
    }
  } finally {
    await client.end();
  }
}

module.exports = { seedDatabase };
