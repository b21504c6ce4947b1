import path from 'node:path';
import { ROOT } from './paths';

export { ROOT };
import { spawnNode, type NodeRun } from './run-node';

export const REGISTER_CJS = path.join(ROOT, 'register.js');
export const REGISTER_ESM = path.join(ROOT, 'register.mjs');

/** How a spawned process ended. */
export interface Ending extends NodeRun {
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
export async function runToEnd(script: string, opts: RunOptions = {}): Promise<Ending> {
  const app = spawnNode([...(opts.nodeArgs ?? []), path.resolve(ROOT, script)], { env: opts.env });
  let from = Date.now();
  let killed = false;
  const armKill = (): NodeJS.Timeout =>
    setTimeout(() => {
      killed = true;
      app.child.kill('SIGKILL');
    }, opts.killAfterMs ?? 10_000);
  let killTimer = armKill();
  const signal = opts.signal;
  if (signal !== undefined) {
    app.waitForOutput(/ready/).then(
      () => {
        from = Date.now();
        clearTimeout(killTimer);
        killTimer = armKill();
        app.child.kill(signal);
      },
      () => {}, // ended before "ready": the ending below says how
    );
  }
  const run = await app.exited;
  clearTimeout(killTimer);
  return { ...run, ms: Date.now() - from, killed };
}

/** The exit status a POSIX shell reports: the code, or 128 + the signal's number. */
export function shellStatus(ending: Pick<Ending, 'code' | 'signal'>): number {
  if (ending.signal !== null) return 128 + (require('node:os') as typeof import('node:os')).constants.signals[ending.signal];
  return ending.code ?? -1;
}
