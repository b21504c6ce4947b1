import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/paths';
import { runNode } from '../helpers/run-node';

// A library outside its instrumentation's supported versions is left alone, with one line
// at the default log level saying so (the same version loaded through several files or
// copies is reported once).

// ioredis 4 is installed as the npm alias `ioredis4`; the agent names packages by directory,
// so the spawned app loads it through a link named `ioredis` (with --preserve-symlinks).
const APP_DIR = path.join(ROOT, 'test', 'fixtures', 'ioredis-v4-alias');

beforeAll(() => {
  const link = path.join(APP_DIR, 'node_modules', 'ioredis');
  if (!existsSync(link)) {
    mkdirSync(path.dirname(link), { recursive: true });
    symlinkSync(path.join(ROOT, 'node_modules', 'ioredis4'), link, 'dir');
  }
});

// Loads ioredis twice over (main and its pipeline file) and a client, without connecting.
const SCRIPT = `
  const Redis = require(${JSON.stringify(path.join(APP_DIR, 'node_modules', 'ioredis'))});
  require(${JSON.stringify(path.join(APP_DIR, 'node_modules', 'ioredis', 'built', 'pipeline.js'))});
  new Redis({ lazyConnect: true });
  process.stdout.write(typeof Redis.prototype.sendCommand);
`;

describe('a library version outside the supported range, in a spawned app', () => {
  it('ioredis 4.28.5: one line naming the library, its version and the supported range', async () => {
    const run = await runNode(['--preserve-symlinks', '--require', './register.js', '-e', SCRIPT], { env: { OTEL_TRACES_EXPORTER: 'none' } });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('function');
    expect(run.stderr).toBe('[waymark] warn: ioredis 4.28.5 is not instrumented (supported: >=5 <7)\n');
  });

  it('ioredis 5 (supported) under the agent: patched, no line', async () => {
    const v5 = `const Redis = require('ioredis'); new Redis({ lazyConnect: true });`;
    const run = await runNode(['--require', './register.js', '-e', v5], { env: { OTEL_TRACES_EXPORTER: 'none', OTEL_LOG_LEVEL: 'debug' } });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('ioredis: patched ioredis');
    expect(run.stderr).not.toContain('not instrumented');
  });
});
