import { spawn } from 'node:child_process';
import path from 'node:path';
import type { StartupReport } from '../startup-report';
import { PROBE_MARKER } from './probe-marker';

/** What starting the app under the agent showed. */
export interface AppRunFinding {
  readonly app: string;
  /** The report's data, or undefined when the app ended without the agent running. */
  readonly report: StartupReport | undefined;
  /** The app's exit code when it ended on its own before the report was taken. */
  readonly exitCode?: number | null | undefined;
  /** The last lines of the app's stderr when no report came. */
  readonly stderrTail?: string | undefined;
}

/** The most of the app's stderr kept (for the tail shown when something went wrong). */
const MAX_STDERR = 16_384;
/** Past this the app is stopped whatever it did. */
const HARD_LIMIT_MS = 8_000;

/**
 * Starts `app` under the agent (`--require register.js`, or `--import register.mjs` for an
 * ES module) with the probe after it, takes the startup report's data from its stderr,
 * and stops it. The app's spans go nowhere (OTEL_TRACES_EXPORTER=none): the doctor checks
 * the endpoint itself, once.
 */
export function runApp(app: string, env: NodeJS.ProcessEnv, root: string): Promise<AppRunFinding> {
  const esm = app.endsWith('.mjs');
  const agentFlag = esm ? ['--import', path.join(root, 'register.mjs')] : ['--require', path.join(root, 'register.js')];
  const probe = path.join(__dirname, 'probe.js');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...agentFlag, '--require', probe, app], {
      cwd: path.dirname(app),
      env: { ...env, OTEL_TRACES_EXPORTER: 'none' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let done = false;
    const finish = (f: AppRunFinding): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) child.kill();
      resolve(f);
    };
    const timer = setTimeout(() => finish({ app, report: undefined, stderrTail: tail(stderr) }), HARD_LIMIT_MS);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-MAX_STDERR);
      const at = stderr.indexOf(PROBE_MARKER);
      const end = at < 0 ? -1 : stderr.indexOf('\n', at);
      if (end < 0) return;
      let report: StartupReport | undefined;
      try {
        report = (JSON.parse(stderr.slice(at + PROBE_MARKER.length, end)) as StartupReport | null) ?? undefined;
      } catch {
        report = undefined;
      }
      finish({ app, report, exitCode: child.exitCode, stderrTail: report === undefined ? tail(stderr.slice(0, at)) : undefined });
    });
    child.on('error', (err) => finish({ app, report: undefined, stderrTail: err.message }));
    child.on('close', (code) => finish({ app, report: undefined, exitCode: code, stderrTail: tail(stderr) }));
  });
}

function tail(text: string): string {
  return text.trim().split('\n').slice(-5).join('\n');
}
