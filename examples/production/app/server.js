'use strict';
// A plain HTTP service with no tracing code: the agent comes from NODE_OPTIONS.
// /slow takes over a second (kept by the latency policy); /fail answers 500 (kept by the
// status_code policy once the server span carries the error status).
const http = require('node:http');

const server = http.createServer((req, res) => {
  if (req.url === '/slow') {
    setTimeout(() => res.end('slow\n'), 1200);
  } else if (req.url === '/fail') {
    res.statusCode = 500;
    res.end('fail\n');
  } else {
    res.end('ok\n');
  }
});
server.listen(Number(process.env.PORT || 8080));
