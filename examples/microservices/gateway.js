'use strict';
// The API gateway (Express): GET /api/users/:id validates the caller's token with the auth
// service (global fetch), then loads the user from the users service (http.get).
// No tracing code: the agent, preloaded with --require, traces it and propagates the context.
const http = require('node:http');
const express = require('express');

const AUTH_URL = process.env.AUTH_URL ?? 'http://127.0.0.1:3001';
const USERS_URL = process.env.USERS_URL ?? 'http://127.0.0.1:3002';
const app = express();

app.get('/api/users/:id', async (req, res) => {
  const auth = await fetch(`${AUTH_URL}/validate`, {
    method: 'POST',
    headers: { authorization: req.headers.authorization ?? '' },
  });
  await auth.arrayBuffer();
  if (!auth.ok) return res.status(401).json({ error: 'invalid token' });

  const upstream = await getJson(`${USERS_URL}/users/${encodeURIComponent(req.params.id)}`);
  if (upstream.status >= 500) return res.status(502).json({ error: 'users service failed' });
  res.status(upstream.status).json(upstream.body);
});

app.use((err, req, res, _next) => {
  console.error(`gateway: ${req.method} ${req.originalUrl} failed: ${err.message}`);
  res.status(502).json({ error: 'upstream unavailable' });
});

/** GET a JSON document with node:http. */
function getJson(url) {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode, body: JSON.parse(text) });
          } catch (err) {
            reject(err);
          }
        });
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  const { port } = server.address();
  console.log(`gateway listening on http://127.0.0.1:${port}`);
  process.send?.({ ready: true, port });
});
