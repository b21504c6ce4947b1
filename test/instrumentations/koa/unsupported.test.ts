import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../helpers/paths';
import { runNode } from '../../helpers/run-node';

// Koa 1 (generator middleware) is outside the supported range: left alone, one line. It is
// installed as the npm alias `koa1`; the agent names packages by directory, so the spawned
// app loads it through a link named `koa` (with --preserve-symlinks).
const APP_DIR = path.join(ROOT, 'test', 'fixtures', 'koa-v1-alias');
const KOA1 = path.join(APP_DIR, 'node_modules', 'koa');

beforeAll(() => {
  if (!existsSync(KOA1)) {
    mkdirSync(path.dirname(KOA1), { recursive: true });
    symlinkSync(path.join(ROOT, 'node_modules', 'koa1'), KOA1, 'dir');
  }
});

// A Koa 1 app answering one request through its generator middleware.
const SCRIPT = `
  const koa = require(${JSON.stringify(KOA1)});
  const app = koa();
  app.use(function* () { this.body = 'v1'; });
  const server = app.listen(0, '127.0.0.1', async () => {
    const res = await fetch('http://127.0.0.1:' + server.address().port + '/');
    process.stdout.write(await res.text());
    server.close();
  });
`;

describe('koa outside the supported range, in a spawned app', () => {
  it('koa 1.7.1: unpatched, the app answers, one line naming the version and the supported range', async () => {
    const run = await runNode(['--preserve-symlinks', '--require', './register.js', '-e', SCRIPT], { env: { OTEL_TRACES_EXPORTER: 'none' } });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('v1');
    expect(run.stderr).toBe('[waymark] warn: koa 1.7.1 is not instrumented (supported: >=2 <4)\n');
  });

  it('koa 3 (supported, the positive control): patched, no line', async () => {
    const run = await runNode(['--require', './register.js', '-e', `require('koa')`], { env: { OTEL_TRACES_EXPORTER: 'none', OTEL_LOG_LEVEL: 'debug' } });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('koa: patched koa');
    expect(run.stderr).not.toContain('not instrumented');
  });
});
