'use strict';
// The requests the demo sends through the gateway, and what each one shows.
const http = require('node:http');

const REQUESTS = [
  { path: '/api/users/1', token: 'demo-token', note: 'a normal request' },
  { path: '/api/users/7', token: 'demo-token', note: 'slow: one query takes over a second' },
  { path: '/api/users/13', token: 'demo-token', note: 'fails: user 13 has corrupt settings (500 in users)' },
  { path: '/api/users/2', token: 'stolen-token', note: 'rejected: the auth service does not know the token' },
];

/** Sends one GET with a bearer token; resolves with the status and the time it took. */
function send(baseUrl, { path, token }) {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = http.get(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` }, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
    });
    req.on('error', reject);
    req.setTimeout(30_000, () => req.destroy(new Error(`GET ${path} timed out`)));
  });
}

module.exports = { REQUESTS, send };
