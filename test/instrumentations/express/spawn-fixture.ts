import { spawn } from 'node:child_process';
import path from 'node:path';

/** The repository root (register.js, register.mjs, build/). */
export const ROOT = path.resolve(__dirname, '../../..');
export const FIXTURES = path.join(ROOT, 'test/fixtures');

export interface FixtureRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The JSON after `RESULT ` on stdout, if printed. */
  result: unknown;
}

/**
 * Runs a fixture in a child process: `preload` 'none' (no agent), 'require' (--require
 * ./register.js) or 'import' (--import ./register.mjs). Only PATH and `env` are passed.
 */
export function runFixture(
  fixture: string,
  opts: { preload: 'none' | 'require' | 'import'; env?: Record<string, string>; args?: string[]; nodeArgs?: string[] },
): Promise<FixtureRun> {
  const flags =
    opts.preload === 'require'
      ? ['--require', path.join(ROOT, 'register.js')]
      : opts.preload === 'import'
        ? ['--import', './register.mjs']
        : [];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), ...flags, path.join(FIXTURES, fixture), ...(opts.args ?? [])], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', OTEL_BSP_SCHEDULE_DELAY: '50', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
      resolve({ code, stdout, stderr, result: line === undefined ? undefined : JSON.parse(line.slice('RESULT '.length)) });
    });
  });
}
