import type * as childProcess from 'node:child_process';

/**
 * Sends HTTP POSTs synchronously, for the only moment that needs it: the `exit` event
 * after `process.exit()` or a crash, where no asynchronous work can run any more. One
 * short-lived Node child reads the bodies from stdin (each after its 4-byte length), posts
 * them in order over one keep-alive connection, stops at the first that fails, and prints
 * a dot for each one delivered; we wait for it, bounded by `timeoutMs` for all of them. The
 * child's environment drops NODE_OPTIONS so it never loads the agent itself.
 */
const SENDER = `
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', () => {
  const { url, headers } = JSON.parse(process.env.WAYMARK_SYNC_TARGET);
  const u = new URL(url);
  const mod = require(u.protocol === 'https:' ? 'node:https' : 'node:http');
  const agent = new mod.Agent({ keepAlive: true, maxSockets: 1 });
  const all = Buffer.concat(chunks);
  const bodies = [];
  for (let at = 0; at + 4 <= all.length; ) {
    const n = all.readUInt32BE(at);
    bodies.push(all.subarray(at + 4, at + 4 + n));
    at += 4 + n;
  }
  let sent = 0;
  const done = () => process.exit(0);
  const next = () => {
    if (sent === bodies.length) return done();
    const body = bodies[sent];
    const req = mod.request(u, { method: 'POST', agent, headers: { ...headers, 'content-length': body.length } }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode < 200 || res.statusCode >= 300) return done();
        sent++;
        process.stdout.write('.', next);
      });
    });
    req.on('error', done);
    req.end(body);
  };
  next();
});`;

/** Posts `bodies` to `url` in order and waits; resolves how many the server answered 2xx within the timeout. */
export function postSync(url: string, headers: Record<string, string>, bodies: readonly Uint8Array[], timeoutMs: number): number {
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, WAYMARK_SYNC_TARGET: JSON.stringify({ url, headers }) };
    delete env.NODE_OPTIONS;
    const framed: Uint8Array[] = [];
    for (const body of bodies) {
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
