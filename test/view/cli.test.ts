import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../src/view/cli';
import { failingRequest, slowRequest } from './fixtures';
import { encodedRequest, requestFromSpans } from './otlp-payloads';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'waymark-cli-'));
  file = path.join(dir, 'spans.jsonl');
  writeFileSync(file, [...slowRequest(), ...failingRequest()].map((s) => JSON.stringify(s)).join('\n') + '\n');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function io(extra: Partial<CliIo> = {}): CliIo & { out: string; err: string } {
  const captured = {
    out: '',
    err: '',
    stdout: (t: string) => void (captured.out += t),
    stderr: (t: string) => void (captured.err += t),
    env: {},
    isTTY: false,
    ...extra,
  };
  return captured;
}

describe('waymark query', () => {
  it('lists every trace by default', async () => {
    const c = io();
    expect(await runCli(['query', file], c)).toBe(0);
    expect(c.out).toContain('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(c.out).toContain('a1b2c3d4e5f60718293a4b5c6d7e8f90');
    expect(c.out).toMatch(/2 traces\n$/);
  });

  it('--slower-than keeps the slow trace only', async () => {
    const c = io();
    await runCli(['query', file, '--slower-than', '1s'], c);
    expect(c.out).toContain('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(c.out).not.toContain('a1b2c3d4e5f60718293a4b5c6d7e8f90');
  });

  it('--errors keeps the failed trace only', async () => {
    const c = io();
    await runCli(['query', file, '--errors'], c);
    expect(c.out).toContain('a1b2c3d4e5f60718293a4b5c6d7e8f90');
    expect(c.out).not.toContain('4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it('--service lists that service\'s spans', async () => {
    const c = io();
    await runCli(['query', file, '--service', 'auth'], c);
    expect(c.out.trimEnd().split('\n')).toEqual([
      '   SELF    TOTAL  SERVICE  SPAN            TRACE',
      '8.00 ms  8.00 ms  auth     POST /validate  4bf92f3577b34da6a3ce929d0e0e4736',
      '1 span',
    ]);
  });

  it('--top-self-time N ranks spans by self time, combinable with filters', async () => {
    const c = io();
    await runCli(['query', file, '--top-self-time', '1'], c);
    expect(c.out.split('\n')[1]).toBe('1.49 s  1.49 s  users    SELECT users  4bf92f3577b34da6a3ce929d0e0e4736');
    const e = io();
    await runCli(['query', file, '--errors', '--top-self-time', '1'], e);
    expect(e.out).toContain('21.0 ms  21.0 ms  users    SELECT users  a1b2c3d4e5f60718293a4b5c6d7e8f90');
  });

  it('--tree prints matching traces as trees', async () => {
    const c = io();
    await runCli(['query', file, '--slower-than', '1s', '--tree'], c);
    expect(c.out).toContain('← BOTTLENECK 1.49 s self');
    expect(c.out.match(/^Trace /gm)).toHaveLength(1);
  });

  it('colours only when asked or on a terminal without NO_COLOR', async () => {
    const tty = io({ isTTY: true });
    await runCli(['query', file, '--tree'], tty);
    expect(tty.out).toContain('\x1b[');
    const noColor = io({ isTTY: true, env: { NO_COLOR: '1' } });
    await runCli(['query', file, '--tree'], noColor);
    expect(noColor.out).not.toContain('\x1b[');
    const forced = io();
    await runCli(['query', file, '--tree', '--color'], forced);
    expect(forced.out).toContain('\x1b[');
  });

  it.each([
    [['query'], /exactly one span file/],
    [['query', 'a', 'b'], /exactly one span file/],
    [['query', 'FILE', '--slower-than', 'soon'], /--slower-than must be a duration/],
    [['query', 'FILE', '--top-self-time', '0'], /--top-self-time must be a positive/],
    [['query', 'FILE', '--bogus'], /Unknown option '--bogus'/],
    [['query', '/nonexistent/spans.jsonl'], /ENOENT/],
    [['frobnicate'], /unknown command "frobnicate"/],
  ])('%j fails with a message', async (args, message) => {
    const c = io();
    expect(await runCli(args.map((a) => (a === 'FILE' ? file : a)), c)).toBe(1);
    expect(c.err).toMatch(message);
  });

  it('help prints usage', async () => {
    const c = io();
    expect(await runCli(['help'], c)).toBe(0);
    expect(c.out).toContain('waymark view');
    expect(c.out).toContain('Collector');
  });
});

describe('waymark view', () => {
  it('serves until stopped, prints traces and writes --out', async () => {
    let stop!: () => void;
    const stopped = new Promise<void>((r) => (stop = r));
    const out = path.join(dir, 'received.jsonl');
    const c = io({ untilStopped: () => stopped });
    const done = runCli(['view', '--port', '0', '--ui-port', '0', '--out', out, '--quiet', '50ms'], c);
    const url = await waitFor(() => /receiving OTLP\/HTTP traces on (\S+)/.exec(c.err)?.[1]);
    const ui = /web UI on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(c.err)?.[1];
    expect(ui, c.err).toBeDefined();
    const res = await fetch(url, { method: 'POST', body: encodedRequest(requestFromSpans(slowRequest())), headers: { 'content-type': 'application/x-protobuf' } });
    expect(res.status).toBe(200);
    await waitFor(() => (c.out.includes('BOTTLENECK') ? true : undefined));
    expect(c.out).toContain(`Open in the web UI: ${ui}/trace/4bf92f3577b34da6a3ce929d0e0e4736\n`);
    stop();
    expect(await done).toBe(0);
    expect(c.out).not.toContain('\x1b[');
    const q = io();
    await runCli(['query', out], q);
    expect(q.out).toContain('1 trace\n');
  });

  it('loads a span file into the UI and keeps receiving; warns when --host leaves loopback', async () => {
    let stop!: () => void;
    const stopped = new Promise<void>((r) => (stop = r));
    const c = io({ untilStopped: () => stopped });
    const done = runCli(['view', file, '--port', '0', '--ui-port', '0', '--host', '0.0.0.0', '--max-spans', '100'], c);
    const ui = await waitFor(() => /web UI on (http:\/\/0\.0\.0\.0:\d+)\n/.exec(c.err)?.[1]);
    expect(c.err).toContain(`waymark view: loaded 14 spans (2 traces) from ${file}\n`);
    expect(c.err.match(/warning/g)).toHaveLength(1);
    expect(c.err).toContain('waymark view: warning: --host 0.0.0.0 serves every received span');
    const res = await fetch(ui.replace('0.0.0.0', '127.0.0.1') + '/api/traces?tags=error%3Dtrue');
    expect((await res.json()).data.map((t: { traceId: string }) => t.traceId)).toEqual(['a1b2c3d4e5f60718293a4b5c6d7e8f90']);
    stop();
    expect(await done).toBe(0);
  });

  it('rejects a bad port or quiet period', async () => {
    const c = io();
    expect(await runCli(['view', '--port', 'x'], c)).toBe(1);
    expect(c.err).toMatch(/--port must be a port number/);
    expect(await runCli(['view', '--quiet', 'a while'], c)).toBe(1);
    expect(c.err).toMatch(/--quiet must be a duration/);
    expect(await runCli(['view', '--max-spans', '0'], c)).toBe(1);
    expect(c.err).toMatch(/--max-spans must be a positive whole number/);
  });
});

async function waitFor<T>(fn: () => T | undefined): Promise<T> {
  for (let i = 0; i < 150; i++) {
    const v = fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('timed out');
}

describe('bin/waymark.js', () => {
  it('runs the compiled CLI (needs `npm run build`)', () => {
    const bin = path.resolve(__dirname, '../../bin/waymark.js');
    const out = execFileSync(process.execPath, [bin, 'query', file, '--errors'], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect(out).toContain('a1b2c3d4e5f60718293a4b5c6d7e8f90');
    expect(out).toMatch(/1 trace\n$/);
  });
});
