import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver';
import { assertBuilt, ROOT } from '../helpers/paths';

// `waymark doctor` run as users run it (bin/waymark.js, the built code), against a local
// OTLP receiver, a port nobody listens on, and an app directory whose node_modules holds
// an unsupported graphql major (the graphql14 alias, linked in under the name graphql).

const BIN = path.join(ROOT, 'bin', 'waymark.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function doctor(args: string[], env: Record<string, string>): Promise<Run> {
  // Only what the test sets: the machine's own OTEL_* variables must not leak in.
  const base = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, 'doctor', ...args], { env: { ...base, ...env }, timeout: 15_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A loopback port that was free a moment ago and has no listener now. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

let receiver: OtlpReceiver;
let emptyDir: string;
let oldGraphqlDir: string;
let appDir: string;

beforeAll(async () => {
  assertBuilt();
  receiver = await startOtlpReceiver();
  emptyDir = mkdtempSync(path.join(tmpdir(), 'waymark-doctor-empty-'));
  oldGraphqlDir = mkdtempSync(path.join(tmpdir(), 'waymark-doctor-graphql14-'));
  mkdirSync(path.join(oldGraphqlDir, 'node_modules'));
  symlinkSync(path.join(ROOT, 'node_modules', 'graphql14'), path.join(oldGraphqlDir, 'node_modules', 'graphql'), 'dir');
  // An app that loads pg and keeps running, as a server does: the doctor has to stop it.
  appDir = mkdtempSync(path.join(tmpdir(), 'waymark-doctor-app-'));
  mkdirSync(path.join(appDir, 'node_modules'));
  symlinkSync(path.join(ROOT, 'node_modules', 'pg'), path.join(appDir, 'node_modules', 'pg'), 'dir');
  writeFileSync(path.join(appDir, 'app.js'), "require('pg');\nsetInterval(() => {}, 1000);\n");
});

afterAll(async () => {
  await receiver?.close();
  for (const dir of [emptyDir, oldGraphqlDir, appDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('waymark doctor', () => {
  it('exits 0 when the endpoint accepts the test span, which the receiver gets, and masks the header values', async () => {
    const run = await doctor(['--dir', emptyDir], {
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer s3cr3t-token',
      OTEL_SERVICE_NAME: 'checkout',
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('service.name');
    expect(run.stdout).toContain('checkout');
    expect(run.stdout).toMatch(/otlp \(http\/protobuf\) http:\/\/127\.0\.0\.1:\d+\/v1\/traces: accepted in \d+ ms/);
    expect(run.stdout).toContain('authorization=***');
    expect(run.stdout).not.toContain('s3cr3t');
    expect(run.stdout).toContain('No problems found.');
    expect(run.stdout).toContain('Spans can be delivered.');
    const spans = await receiver.waitForSpans(1);
    expect(spans.map((s) => s.name)).toEqual(['waymark doctor']);
  });

  it('lists the registry libraries an empty directory lacks as not installed', async () => {
    const run = await doctor(['--dir', emptyDir], { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url });
    expect(run.stdout).toContain('none of the instrumented libraries is installed');
    expect(run.stdout).toMatch(/not installed: .*\bpg\b.*\bgraphql\b/);
  });

  it('exits 1 with the error and one suggestion when nothing listens at the endpoint', async () => {
    const port = await deadPort();
    const run = await doctor(['--dir', emptyDir], { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`http://127.0.0.1:${port}/v1/traces: FAILED: connect ECONNREFUSED`);
    expect(run.stdout).toContain('  1. otlp (http/protobuf) export to');
    expect(run.stdout).toContain(`-> nothing listens at http://127.0.0.1:${port}/v1/traces: start the Collector`);
    expect(run.stdout).not.toContain('  2. ');
    expect(run.stdout).toContain('Spans cannot be delivered.');
    // The exporter's own warning is not repeated on stderr.
    expect(run.stderr).toBe('');
  });

  it('exits 1 when the exporter is none: spans are made and dropped', async () => {
    const run = await doctor(['--dir', emptyDir], { OTEL_TRACES_EXPORTER: 'none' });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('OTEL_TRACES_EXPORTER=none');
    expect(run.stdout).toContain('-> set OTEL_TRACES_EXPORTER=otlp');
  });

  it('reports an installed version outside the supported range with a suggestion, and still exits 0', async () => {
    const run = await doctor([path.join(oldGraphqlDir, 'app.js')], { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/unsupported +graphql 14\.7\.0 +\(graphql: >=15/);
    expect(run.stdout).toContain('graphql 14.7.0 is outside the supported range');
    expect(run.stdout).toContain('-> use a version of graphql within');
    // The app given does not exist: said, without blocking delivery.
    expect(run.stdout).toContain('app.js does not exist');
  });

  it('names the ESM hook mechanism register.mjs uses on this Node line', async () => {
    const { supportsSyncHooks } = (await import('import-in-the-middle/supports-sync-hooks.mjs')) as { supportsSyncHooks(): boolean };
    const run = await doctor(['--dir', emptyDir], { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url });
    expect(run.stdout).toContain(`node      ${process.version}`);
    expect(run.stdout).toContain(supportsSyncHooks() ? 'ESM hook  module.registerHooks' : 'ESM hook  module.register (loader thread)');
  });

  it('starts the app under the agent, stops it, and shows what was instrumented', async () => {
    const started = Date.now();
    const run = await doctor([path.join(appDir, 'app.js')], { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`App (${path.join(appDir, 'app.js')}, started under the agent)`);
    expect(run.stdout).toMatch(/instrumented +.*\bpg 8\.\d+\.\d+/);
    expect(run.stdout).toMatch(/loaded before the agent +\(none\)/);
    expect(run.stdout).toContain('No problems found.');
    // The app runs forever: it was stopped, well before the doctor's hard limit.
    expect(Date.now() - started).toBeLessThan(8_000);
  });

  it('reports a library loaded before the agent (a --require ahead of it in NODE_OPTIONS) with the fix', async () => {
    const run = await doctor([path.join(appDir, 'app.js')], {
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url,
      NODE_OPTIONS: `--require ${path.join(appDir, 'node_modules', 'pg')}`,
    });
    // Traced or not, the spans that are made can be delivered.
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/loaded before the agent +pg, pg-pool/);
    expect(run.stdout).toContain('1. pg, pg-pool were loaded before the agent: untraced');
    expect(run.stdout).toContain('-> load the agent first: node --require waymark/register.js');
    expect(run.stdout).not.toMatch(/instrumented +.*\bpg 8/);
  });
});
