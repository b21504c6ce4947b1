// A local OTLP/HTTP receiver that counts the spans it gets (protobuf or JSON, gzip or not),
// decoding with the official generated decoder. Benchmarks must export somewhere real:
// a configuration that exports nothing is not a valid measurement.
import http from 'node:http';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const root = require('otlp-transformer/build/src/generated/root.js');
const Req = root.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

export function startCountingReceiver() {
  let spans = 0;
  let requests = 0;
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      requests++;
      try {
        let body = Buffer.concat(chunks);
        if (req.headers['content-encoding'] === 'gzip') body = zlib.gunzipSync(body);
        const msg = String(req.headers['content-type']).includes('json') ? JSON.parse(body.toString()) : Req.decode(body);
        for (const rs of msg.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) spans += (ss.spans ?? []).length;
      } catch {
        // counted as a request, not as spans
      }
      res.writeHead(200, { 'content-type': req.headers['content-type'] || 'application/x-protobuf' });
      res.end();
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        url: `http://127.0.0.1:${server.address().port}`,
        counts: () => ({ spans, requests }),
        reset: () => { spans = 0; requests = 0; },
        close: () => new Promise((r) => server.close(r)),
      });
    });
  });
}
