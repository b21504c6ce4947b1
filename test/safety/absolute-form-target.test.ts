import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// An absolute-form request target (what a proxy receives, RFC 9112 §3.2.2) is exported with
// its path only: the userinfo in it never reaches a span, like every other URL.

const ROOT = path.resolve(__dirname, '../..');
const SERVER = `const s = require('node:http').createServer((q, r) => r.end('ok')).listen(0, '127.0.0.1', () => console.log('listening ' + s.address().port));
process.on('SIGTERM', () => s.close());`;

function rawRequest(port: number, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(head));
    let text = '';
    socket.on('data', (d) => (text += d));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

describe('absolute-form request targets, spawned server under the agent', () => {
  it('url.path and url.query come from the target without its credentials', async () => {
    const child = spawn(process.execPath, ['--require', './register.js', '-e', SERVER], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', OTEL_TRACES_EXPORTER: 'console', OTEL_SERVICE_NAME: 'absolute-form' },
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const port = await new Promise<number>((resolve) =>
      child.stdout.on('data', (d) => {
        out += d;
        const m = /listening (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      }),
    );
    const answer = await rawRequest(port, 'GET http://admin:hunter2@127.0.0.1/admin?token=abc&page=2 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    const exited = new Promise((r) => child.on('exit', r));
    child.kill('SIGTERM');
    await exited;
    expect(err).toBe('');
    expect(out).not.toContain('hunter2');
    expect(out).not.toContain('admin:');
    const span = out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { kind: string; attributes: Record<string, unknown> })
      .find((s) => s.kind === 'SERVER');
    expect(span?.attributes['url.path']).toBe('/admin');
    expect(span?.attributes['url.query']).toBe('token=REDACTED&page=2');
  });
});
