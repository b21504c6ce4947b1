import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { FIXTURES, ROOT } from './paths';

/** How a child `node` process ended, with all it wrote. */
export interface NodeRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit. */
  ms: number;
}

export interface NodeOptions {
  /**
   * The child's environment: PATH plus these; nothing else of this process's environment.
   * OTEL_LOG_LEVEL is `warn` unless set here: the agent's info lines (the startup report, the
   * service-name hint) are by design, and tests that compare stderr with an untraced run, or
   * expect it empty, assert that the agent warned of nothing. Tests of info lines set the level.
   */
  env?: NodeJS.ProcessEnv;
  /** Kills the child with SIGKILL after this long. */
  timeoutMs?: number;
}

/** A running child `node` process. */
export interface NodeProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` on stdout; rejects if the process exits first. */
  waitForOutput(pattern: RegExp): Promise<RegExpExecArray>;
  /** Settles when the process has exited. */
  readonly exited: Promise<NodeRun>;
}

/** Starts `node <args>` in the repository root, its output collected. */
export function spawnNode(args: string[], opts: NodeOptions = {}): NodeProcess {
  const started = Date.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { PATH: process.env.PATH ?? '', OTEL_LOG_LEVEL: 'warn', ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const watchers = new Set<() => void>();
  child.stdout!.on('data', (d) => {
    stdout += d;
    for (const check of watchers) check();
  });
  child.stderr!.on('data', (d) => (stderr += d));
  const timer = opts.timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
  const exited = new Promise<NodeRun>((resolve, reject) => {
    let ms = 0;
    const done = (code: number | null, signal: NodeJS.Signals | null): void => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: ms || Date.now() - started });
    };
    child.on('error', reject);
    // 'close' comes once stdout and stderr are drained; a grandchild that keeps them open
    // (the demo's services) must not hold the result back for long after 'exit'.
    child.on('close', done);
    child.on('exit', (code, signal) => {
      ms = Date.now() - started;
      setTimeout(() => done(code, signal), 1000).unref();
    });
  });
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    waitForOutput: (pattern) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const match = pattern.exec(stdout);
          if (match === null) return;
          watchers.delete(check);
          resolve(match);
        };
        watchers.add(check);
        check();
        exited.then(
          (run) => reject(new Error(`node exited (${run.code ?? run.signal}) before printing ${pattern}: ${run.stderr}`)),
          reject,
        );
      }),
  };
}

/** Runs `node <args>` in the repository root to its exit (killed after 15 s by default). */
export function runNode(args: string[], opts: NodeOptions = {}): Promise<NodeRun> {
  return spawnNode(args, { timeoutMs: 15_000, ...opts }).exited;
}

/** How a spawned app loads the agent: not at all, `--require ./register.js` or `--import ./register.mjs`. */
export type Preload = 'none' | 'require' | 'import';

/** The node flags that load the built agent as `preload` says. */
export function preloadFlags(preload: Preload): string[] {
  if (preload === 'require') return ['--require', path.join(ROOT, 'register.js')];
  if (preload === 'import') return ['--import', './register.mjs'];
  return [];
}

/** A fixture's run: its exit and output, and the JSON it printed after `RESULT `, if any. */
export interface FixtureRun extends NodeRun {
  result: unknown;
}

/**
 * Runs a fixture of test/fixtures under `preload`, with a 50 ms export delay so spans
 * leave before it exits.
 */
export async function runFixture(
  fixture: string,
  opts: { preload: Preload; env?: Record<string, string>; args?: string[]; nodeArgs?: string[] },
): Promise<FixtureRun> {
  const run = await runNode([...(opts.nodeArgs ?? []), ...preloadFlags(opts.preload), path.join(FIXTURES, fixture), ...(opts.args ?? [])], {
    env: { OTEL_BSP_SCHEDULE_DELAY: '50', ...opts.env },
  });
  const line = run.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  return { ...run, result: line === undefined ? undefined : JSON.parse(line.slice('RESULT '.length)) };
}
