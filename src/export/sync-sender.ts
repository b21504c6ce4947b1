import type * as childProcess from 'node:child_process';

/**
 * Sends one HTTP POST synchronously, for the only moment that needs it: the `exit` event
 * after `process.exit()`, where no asynchronous work can run any more. A short-lived Node
 * child reads the body from stdin and posts it; we wait for it, bounded by `timeoutMs`.
 * The child's environment drops NODE_OPTIONS so it never loads the agent itself.
 */
const SENDER = `
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', () => {
  const { url, headers } = JSON.parse(process.env.WAYMARK_SYNC_TARGET);
  const u = new URL(url);
  const mod = require(u.protocol === 'https:' ? 'node:https' : 'node:http');
  const body = Buffer.concat(chunks);
  const req = mod.request(u, { method: 'POST', headers: { ...headers, 'content-length': body.length } }, (res) => {
    res.resume();
    res.on('end', () => process.exit(res.statusCode >= 200 && res.statusCode < 300 ? 0 : 1));
  });
  req.on('error', () => process.exit(2));
  req.end(body);
});`;

/** Posts `body` to `url` and waits; true when the server answered 2xx within the timeout. */
export function postSync(url: string, headers: Record<string, string>, body: Uint8Array, timeoutMs: number): boolean {
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, WAYMARK_SYNC_TARGET: JSON.stringify({ url, headers }) };
    delete env.NODE_OPTIONS;
    // Loaded here: only an exit after process.exit() ever needs it.
    const { spawnSync } = require('node:child_process') as typeof childProcess;
    const res = spawnSync(process.execPath, ['-e', SENDER], { input: body, timeout: timeoutMs, env, stdio: ['pipe', 'ignore', 'ignore'] });
    return res.status === 0;
  } catch {
    return false;
  }
}
