// A local OTLP/HTTP receiver that counts the spans it gets. Benchmarks must export
// somewhere real (a configuration that exports nothing is not a valid measurement), but
// the receiver shares a core with the load generator, so it must be cheap: for protobuf
// it walks the message structure (ResourceSpans → ScopeSpans → Span) without decoding
// span fields. The tests check exports with the official decoder; this only counts.
import http from 'node:http';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';

// The viewer's protobuf reader (from the build: `npm run bench` builds first).
const { ProtoReader, WIRE_LEN } = createRequire(import.meta.url)('../build/src/view/protobuf-reader.js');

/** Number of spans in an ExportTraceServiceRequest (the viewer's reader; span bodies are skipped). */
export function countSpans(buf) {
  let n = 0;
  const request = new ProtoReader(buf);
  while (!request.done) {
    const { field, wire } = request.key();
    if (field !== 1 || wire !== WIRE_LEN) { request.skip(wire); continue; } // resource_spans
    const resourceSpans = request.message();
    while (!resourceSpans.done) {
      const k = resourceSpans.key();
      if (k.field !== 2 || k.wire !== WIRE_LEN) { resourceSpans.skip(k.wire); continue; } // scope_spans
      const scopeSpans = resourceSpans.message();
      while (!scopeSpans.done) {
        const s = scopeSpans.key();
        if (s.field === 2 && s.wire === WIRE_LEN) n++; // spans
        scopeSpans.skip(s.wire);
      }
    }
  }
  return n;
}

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
        if (String(req.headers['content-type']).includes('json')) {
          for (const rs of JSON.parse(body.toString()).resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) spans += (ss.spans ?? []).length;
        } else {
          spans += countSpans(body);
        }
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
