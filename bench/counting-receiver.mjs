// A local OTLP/HTTP receiver that counts the spans it gets. Benchmarks must export
// somewhere real (a configuration that exports nothing is not a valid measurement), but
// the receiver shares a core with the load generator, so it must be cheap: for protobuf
// it walks the message structure (ResourceSpans → ScopeSpans → Span) without decoding
// fields. The tests check exports with the official decoder; this only counts.
import http from 'node:http';
import zlib from 'node:zlib';

function varint(buf, pos) {
  let result = 0;
  let shift = 0;
  for (;;) {
    const b = buf[pos++];
    result += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return [result, pos];
    shift += 7;
  }
}

/** Calls fn(start, end) for each length-delimited field `field` in buf[start, end). */
function eachField(buf, start, end, field, fn) {
  let pos = start;
  while (pos < end) {
    let key;
    [key, pos] = varint(buf, pos);
    const wire = key & 7;
    if (wire === 0) [, pos] = varint(buf, pos);
    else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else if (wire === 2) {
      let len;
      [len, pos] = varint(buf, pos);
      if (key >>> 3 === field) fn(pos, pos + len);
      pos += len;
    } else throw new Error(`wire type ${wire}`);
  }
}

/** Number of spans in an ExportTraceServiceRequest. */
export function countSpans(buf) {
  let n = 0;
  eachField(buf, 0, buf.length, 1, (rs, re) => eachField(buf, rs, re, 2, (ss, se) => eachField(buf, ss, se, 2, () => n++)));
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
