import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { assertBuilt } from '../helpers/paths';
import { spawnNode } from '../helpers/run-node';

// An absolute-form request target (what a proxy receives, RFC 9112 §3.2.2) is exported with
// its path only: the userinfo in it never reaches a span, like every other URL.

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
    assertBuilt();
    const server = spawnNode(['--require', './register.js', '-e', SERVER], {
      env: { OTEL_TRACES_EXPORTER: 'console', OTEL_SERVICE_NAME: 'absolute-form' },
      timeoutMs: 15_000,
    });
    const port = Number((await server.waitForOutput(/listening (\d+)/))[1]);
    const answer = await rawRequest(port, 'GET http://admin:hunter2@127.0.0.1/admin?token=abc&page=2 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    server.child.kill('SIGTERM');
    const { stdout: out, stderr: err } = await server.exited;
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
