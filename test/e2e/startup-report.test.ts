import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, ROOT, assertBuilt } from '../helpers/paths';
import { runNode, spawnNode } from '../helpers/run-node';

// The startup report: one info line once the app has loaded its modules, naming what was
// instrumented (with versions), what was left alone and why, and where spans go.

const versionOf = (pkg: string): string => (require(path.join(ROOT, 'node_modules', pkg, 'package.json')) as { version: string }).version;
const reportLines = (stderr: string): string[] => stderr.split('\n').filter((l) => l.startsWith('[waymark] info: startup: '));
const HINT = '[waymark] info: service.name is unknown_service:node: name this service with OTEL_SERVICE_NAME=<name>';
const INFO = { OTEL_LOG_LEVEL: 'info', OTEL_TRACES_EXPORTER: 'none' };

beforeAll(() => assertBuilt());

describe('the startup report of a spawned app', () => {
  it('comes once while a server runs: libraries instrumented with their versions, and where spans go', async () => {
    const app = spawnNode(['--require', './register.js', path.join(FIXTURES, 'startup-report-app.js')], {
      env: { OTEL_LOG_LEVEL: 'info', OTEL_SERVICE_NAME: 'shop', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' },
      timeoutMs: 15_000,
    });
    await app.waitForOutput(/loaded/);
    const deadline = Date.now() + 5_000;
    while (reportLines(app.stderr()).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    const alive = app.child.exitCode === null;
    app.child.kill('SIGKILL');
    const run = await app.exited;
    expect(alive).toBe(true);
    const lines = reportLines(run.stderr);
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    expect(line).toContain(`router ${versionOf('router')}`); // express 5 is patched through its router
    expect(line).toContain(`pg ${versionOf('pg')}`);
    expect(line).toContain('spans go to: otlp http/protobuf http://collector:4318/v1/traces');
    expect(line).not.toContain('loaded before the agent');
    expect(run.stderr).not.toContain('unknown_service'); // named: no hint
  });

  it('comes at exit for a script that ends first, with the service-name hint before it', async () => {
    const run = await runNode(['--require', './register.js', '-e', "require('express')"], { env: INFO });
    expect(run.code).toBe(0);
    expect(run.stderr.split('\n').filter((l) => l !== '')).toEqual([
      HINT,
      `[waymark] info: startup: instrumented: http, router ${versionOf('router')}, fetch, console; spans go to: none (spans are dropped)`,
    ]);
  });

  it('names libraries loaded before the agent as not instrumented', async () => {
    const run = await runNode(['--require', 'pg', '--require', './register.js', '-e', "require('pg')"], { env: INFO });
    expect(reportLines(run.stderr)[0]).toContain('loaded before the agent (not instrumented): pg, pg-pool');
    expect(reportLines(run.stderr)[0]).not.toMatch(/instrumented: [^;]*\bpg \d/);
  });

  it('names a library outside its supported versions, with the versions supported', async () => {
    const appDir = path.join(ROOT, 'test', 'fixtures', 'ioredis-v4-alias');
    const link = path.join(appDir, 'node_modules', 'ioredis');
    if (!existsSync(link)) {
      mkdirSync(path.dirname(link), { recursive: true });
      symlinkSync(path.join(ROOT, 'node_modules', 'ioredis4'), link, 'dir');
    }
    const run = await runNode(['--preserve-symlinks', '--require', './register.js', '-e', `require(${JSON.stringify(link)})`], { env: INFO });
    expect(reportLines(run.stderr)[0]).toContain('not instrumented (unsupported version): ioredis 4.28.5 (supported: >=5 <7)');
  });

  it('masks credentials of the endpoint', async () => {
    const run = await runNode(['--require', './register.js', '-e', '0'], {
      env: { OTEL_LOG_LEVEL: 'info', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://user:hunter2@collector.example/v1/traces?api_key=s3cret' },
    });
    const line = reportLines(run.stderr)[0]!;
    expect(line).toContain('spans go to: otlp http/protobuf https://collector.example/v1/traces?api_key=***');
    expect(run.stderr).not.toContain('hunter2');
    expect(run.stderr).not.toContain('s3cret');
  });

  it('reports ESM imports under --import', async () => {
    const run = await runNode(['--import', './register.mjs', '--input-type=module', '-e', "await import('express'); await import('pg');"], { env: INFO });
    expect(run.code).toBe(0);
    const line = reportLines(run.stderr)[0]!;
    expect(line).toContain(`pg ${versionOf('pg')}`);
    expect(line).toContain(`router ${versionOf('router')}`);
  });

  it('is silent with OTEL_LOG_LEVEL=warn, the hint too', async () => {
    const run = await runNode(['--require', './register.js', path.join(FIXTURES, 'startup-report-app.js')], {
      env: { OTEL_LOG_LEVEL: 'warn', OTEL_TRACES_EXPORTER: 'none' },
      timeoutMs: 3_500,
    });
    expect(run.signal).toBe('SIGKILL'); // ran past the report's longest wait (3 s)
    expect(run.stderr).toBe('');
  });

  it('its data is returned by getStartupReport() of the package an app imports', async () => {
    const script = `setTimeout(() => console.log(JSON.stringify(require(${JSON.stringify(ROOT)}).getStartupReport())), 0); require('pg');`;
    const run = await runNode(['--require', './register.js', '-e', script], { env: { OTEL_TRACES_EXPORTER: 'console,zipkin', OTEL_LOG_LEVEL: 'warn' } });
    expect(JSON.parse(run.stdout.trim().split('\n')[0]!)).toEqual({
      instrumented: [`pg ${versionOf('pg')}`, `pg-pool ${versionOf('pg-pool')}`, 'fetch', 'console'],
      unsupported: [],
      loadedBeforeAgent: [],
      destinations: ['console (stdout)', 'zipkin http://localhost:9411/api/v2/spans'],
    });
  });
});
