import type * as childProcess from 'node:child_process';

/**
 * Sends requests synchronously, for the only moment that needs it: the `exit` event after
 * `process.exit()` or a crash, where no asynchronous work can run any more. One
 * short-lived Node child reads the target (a JSON record) and the bodies from stdin (each
 * after its 4-byte length), sends them in order over one connection (keep-alive HTTP/1.1,
 * or one HTTP/2 session for gRPC), stops at the first that fails, and prints a dot for
 * each one delivered; we wait for it, bounded by `timeoutMs` for all of them. The child's
 * environment drops NODE_OPTIONS so it never loads the agent itself.
 */
const SENDER = `
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', () => {
  const all = Buffer.concat(chunks);
  const records = [];
  for (let at = 0; at + 4 <= all.length; ) {
    const n = all.readUInt32BE(at);
    records.push(all.subarray(at + 4, at + 4 + n));
    at += 4 + n;
  }
  const { url, headers, grpcPath, tls } = JSON.parse(records.shift().toString('utf8'));
  const bodies = records;
  const u = new URL(url);
  let sent = 0;
  const done = () => process.exit(0);
  const delivered = (next) => {
    sent++;
    process.stdout.write('.', next);
  };
  if (grpcPath !== undefined) {
    const session = require('node:http2').connect(u.origin, tls || {});
    session.on('error', done);
    const next = () => {
      if (sent === bodies.length) return done();
      const req = session.request({ ...headers, ':method': 'POST', ':path': grpcPath });
      let status;
      req.on('response', (h) => {
        if (h[':status'] !== 200) return done();
        status = h['grpc-status'];
      });
      req.on('trailers', (t) => {
        if (t['grpc-status'] !== undefined) status = t['grpc-status'];
      });
      req.on('error', done);
      req.resume();
      req.on('end', () => (status === '0' ? delivered(next) : done()));
      req.end(bodies[sent]);
    };
    return next();
  }
  const mod = require(u.protocol === 'https:' ? 'node:https' : 'node:http');
  const agent = new mod.Agent({ keepAlive: true, maxSockets: 1, ...(u.protocol === 'https:' ? tls : {}) });
  const next = () => {
    if (sent === bodies.length) return done();
    const body = bodies[sent];
    const req = mod.request(u, { method: 'POST', agent, headers: { ...headers, 'content-length': body.length } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode < 200 || res.statusCode >= 300 ? done() : delivered(next)));
    });
    req.on('error', done);
    req.end(body);
  };
  next();
});`;

/** Where the blocking sender sends: an HTTP URL, or a gRPC origin and method path. */
export interface SyncTarget {
  url: string;
  headers: Record<string, string>;
  grpcPath?: string | undefined;
  /** TLS settings for an https: URL (PEM strings: they travel as JSON). */
  tls?: { ca?: string[] | undefined; cert?: string | undefined; key?: string | undefined } | undefined;
}

/** Sends `bodies` to the target in order and waits; resolves how many were accepted within the timeout. */
export function postSync(target: SyncTarget, bodies: readonly Uint8Array[], timeoutMs: number): number {
  try {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.NODE_OPTIONS;
    const framed: Uint8Array[] = [];
    for (const body of [Buffer.from(JSON.stringify(target), 'utf8'), ...bodies]) {
      const length = Buffer.allocUnsafe(4);
      length.writeUInt32BE(body.byteLength);
      framed.push(length, body);
    }
    // Loaded here: only an exit after process.exit() or a crash ever needs it.
    const { spawnSync } = require('node:child_process') as typeof childProcess;
    const res = spawnSync(process.execPath, ['-e', SENDER], {
      input: Buffer.concat(framed),
      timeout: timeoutMs,
      env,
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    // Killed at the timeout, it has still said what it delivered before.
    return res.stdout === null ? 0 : res.stdout.length;
  } catch {
    return 0;
  }
}
