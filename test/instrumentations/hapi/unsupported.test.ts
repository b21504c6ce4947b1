import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../helpers/paths';
import { runNode } from '../../helpers/run-node';

// Hapi 20 is outside the supported range: left alone, one line. It is installed as the npm
// alias `hapi20`; the agent names packages by directory, so the spawned app loads it through
// a link named `@hapi/hapi` (with --preserve-symlinks).
const APP_DIR = path.join(ROOT, 'test', 'fixtures', 'hapi-v20-alias');
const HAPI20 = path.join(APP_DIR, 'node_modules', '@hapi', 'hapi');

beforeAll(() => {
  if (!existsSync(HAPI20)) {
    mkdirSync(path.dirname(HAPI20), { recursive: true });
    symlinkSync(path.join(ROOT, 'node_modules', 'hapi20'), HAPI20, 'dir');
  }
});

const SCRIPT = `
  const Hapi = require(${JSON.stringify(HAPI20)});
  const server = Hapi.server({ port: 0, host: '127.0.0.1' });
  server.route({ method: 'GET', path: '/items/{id}', handler: (req) => 'v20 ' + req.params.id });
  server.start().then(async () => {
    const res = await fetch(server.info.uri + '/items/1');
    process.stdout.write(await res.text());
    await server.stop();
  });
`;

describe('hapi outside the supported range, in a spawned app', () => {
  it('@hapi/hapi 20.3.0: unpatched, the app answers, one line naming the version and the supported range', async () => {
    const run = await runNode(['--preserve-symlinks', '--require', './register.js', '-e', SCRIPT], { env: { OTEL_TRACES_EXPORTER: 'none' } });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('v20 1');
    expect(run.stderr).toBe('[waymark] warn: @hapi/hapi 20.3.0 is not instrumented (supported: >=21 <22)\n');
  });

  it('@hapi/hapi 21 (supported, the positive control): patched, no line', async () => {
    const run = await runNode(['--require', './register.js', '-e', `require('@hapi/hapi')`], { env: { OTEL_TRACES_EXPORTER: 'none', OTEL_LOG_LEVEL: 'debug' } });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('hapi: patched @hapi/hapi');
    expect(run.stderr).not.toContain('not instrumented');
  });
});
