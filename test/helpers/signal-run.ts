import { spawn } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
export const REGISTER_CJS = path.join(ROOT, 'register.js');
export const REGISTER_ESM = path.join(ROOT, 'register.mjs');

/** How a spawned process ended. */
export interface Ending {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from the signal (or from the start, without one) to the exit. */
  ms: number;
  /** True when the process outlived `killAfterMs` and had to be killed with SIGKILL. */
  killed: boolean;
}

export interface RunOptions {
  /** Node arguments before the script (preloads, flags). */
  nodeArgs?: string[];
  env?: Record<string, string>;
  /** Sent once stdout says "ready"; without it the process ends on its own. */
  signal?: NodeJS.Signals;
  /** SIGKILL after this long (from the signal, or from the start): a hang, not an exit. */
  killAfterMs?: number;
}

/** Runs `node [nodeArgs] script`, optionally signals it once ready, and reports how it ended. */
export function runToEnd(script: string, opts: RunOptions = {}): Promise<Ending> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), path.resolve(ROOT, script)], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let from = Date.now();
    let killed = false;
    let killTimer: NodeJS.Timeout | undefined;
    const armKill = (): void => {
      clearTimeout(killTimer);
      killTimer = setTimeout(() => {
        killed = true;
        child.kill('SIGKILL');
      }, opts.killAfterMs ?? 10_000);
    };
    armKill();
    let signalled = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d;
      if (opts.signal !== undefined && !signalled && stdout.includes('ready')) {
        signalled = true;
        from = Date.now();
        armKill();
        child.kill(opts.signal);
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(killTimer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - from, killed });
    });
  });
}

/** The exit status a POSIX shell reports: the code, or 128 + the signal's number. */
export function shellStatus(ending: Pick<Ending, 'code' | 'signal'>): number {
  if (ending.signal !== null) return 128 + (require('node:os') as typeof import('node:os')).constants.signals[ending.signal];
  return ending.code ?? -1;
}
