// An open-loop HTTP load generator: requests are due at a fixed rate whatever the server
// does, and each latency is measured from the moment its request was due, not from when
// a connection became free. A closed-loop tool (wrk) at saturation reports latency that
// is mostly queueing (32 connections / throughput), so its p99 ratio only mirrors the
// throughput ratio; at a fixed offered load below saturation, the p99 ratio shows what
// the agent adds to a request, including pauses (GC, export) that stall the event loop.
// Without the due-time correction a stall would delay the requests behind it unseen
// ("coordinated omission").
import net from 'node:net';

/**
 * Sends GET `path` at `rate` requests/s for `seconds` over `connections` keep-alive
 * sockets (one request in flight per socket; due requests wait for a free socket).
 * Resolves with latency percentiles in ms, counts, and how many requests were late.
 */
export async function openLoop({ port, path, rate, seconds, connections = 32 }) {
  const request = Buffer.from(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
  const total = Math.round(rate * seconds);
  const latencies = new Float64Array(total);
  const interval = 1000 / rate;
  let done = 0;
  let errors = 0;
  let next = 0; // index of the next request to become due
  const backlog = []; // due times of requests waiting for a socket
  const idle = [];
  let t0 = 0;
  let finish;
  const finished = new Promise((resolve) => { finish = resolve; });

  function send(conn, due) {
    conn.due = due;
    conn.buf = '';
    conn.socket.write(request);
  }
  function onResponse(conn) {
    latencies[done++] = performance.now() - conn.due;
    if (done === total) { finish(); return; }
    if (backlog.length > 0) send(conn, backlog.shift());
    else idle.push(conn);
  }
  const conns = await Promise.all(Array.from({ length: connections }, () => new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(conn));
    socket.setNoDelay(true);
    const conn = { socket, due: 0, buf: '' };
    socket.setEncoding('latin1');
    socket.on('data', (chunk) => {
      conn.buf += chunk;
      // Responses are small: one header block with Content-Length (or a chunked body).
      for (;;) {
        const end = conn.buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = conn.buf.slice(0, end);
        const m = /content-length:\s*(\d+)/i.exec(head);
        let size;
        if (m) size = end + 4 + Number(m[1]);
        else {
          const last = conn.buf.indexOf('\r\n0\r\n\r\n', end);
          if (last < 0) return;
          size = last + 7;
        }
        if (conn.buf.length < size) return;
        if (!/^HTTP\/1\.1 2/.test(head)) errors++;
        conn.buf = conn.buf.slice(size);
        onResponse(conn);
      }
    });
    socket.on('error', reject);
  })));
  idle.push(...conns);

  // Polled on every turn of the event loop (setImmediate, not a 1 ms timer whose lag would
  // be added to every latency): the generator spins its own core, the server's is left alone.
  t0 = performance.now();
  let running = true;
  const release = () => {
    if (!running) return;
    const now = performance.now();
    while (next < total && t0 + next * interval <= now) {
      const due = t0 + next * interval;
      next++;
      if (idle.length > 0) send(idle.pop(), due);
      else backlog.push(due);
    }
    setImmediate(release);
  };
  release();
  const guard = setTimeout(() => finish(), (seconds + 30) * 1000);
  await finished;
  running = false;
  clearTimeout(guard);
  for (const c of conns) c.socket.destroy();

  const got = latencies.subarray(0, done).sort();
  const pct = (p) => got.length === 0 ? NaN : +got[Math.min(got.length - 1, Math.floor(got.length * p))].toFixed(3);
  return { rate, sent: next, completed: done, errors, p50: pct(0.5), p99: pct(0.99), p999: pct(0.999), max: got.length ? +got[got.length - 1].toFixed(3) : NaN };
}

// As a command (the benchmark runs it in its own process, away from the counting receiver,
// whose work on each export batch would otherwise delay the responses' timestamps):
//   node bench/open-loop.mjs <port> <path> <rate> <seconds>   -> one JSON line
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const [port, path, rate, seconds] = process.argv.slice(2);
  const result = await openLoop({ port: Number(port), path, rate: Number(rate), seconds: Number(seconds) });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
