'use strict';
// One route that does what real handlers do: an outbound fetch and two pg queries.
const http = require('node:http');
const { usersApp } = require('./users-app');

// A tiny upstream in the same process for the fetch to hit.
const upstream = http.createServer((req, res) => res.end('{"ok":true}'));
upstream.listen(0, '127.0.0.1', () => {
  const app = usersApp(`http://127.0.0.1:${upstream.address().port}/flags`);
  const server = app.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
    process.stdout.write(`listening ${server.address().port}\n`);
  });
});
