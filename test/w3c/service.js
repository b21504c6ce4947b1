'use strict';
// The test service the W3C Trace Context test harness (github.com/w3c/trace-context,
// test/README.md, "Implement Test Service") drives. Run it under the agent:
//   PORT=5000 node --require ./register.js test/w3c/service.js
// For each `{ url, arguments }` in the POSTed JSON array it POSTs `arguments` as JSON to
// `url` and answers once all are done. Inbound and outbound calls are plain node:http, so
// what the harness checks is the agent's own extract (server span) and inject (client span).
const http = require('node:http');

const PORT = Number(process.env.PORT ?? 0);

function post(url, body) {
  return new Promise((resolve) => {
    const data = Buffer.from(JSON.stringify(body ?? []));
    const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': data.length } }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', resolve); // the harness judges by the callbacks it received
    req.end(data);
  });
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    let actions = [];
    try {
      actions = JSON.parse(Buffer.concat(chunks).toString('utf8') || '[]');
    } catch {
      // not JSON: nothing to call
    }
    // In order, one after another, as the README's sample describes the array.
    for (const action of Array.isArray(actions) ? actions : []) {
      if (action && typeof action.url === 'string') await post(action.url, action.arguments);
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}');
  });
});

server.listen(PORT, '127.0.0.1', () => {
  console.log(`listening ${server.address().port}: POST http://127.0.0.1:${server.address().port}/test`);
});
