import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readConfig } from '../config';
import type { InstrumentationEntry } from '../instrument/types';
import { runApp } from './app-run';
import { checkEndpoints } from './endpoint-check';
import { formatReport } from './format-report';
import { inspectLibraries } from './libraries';
import { findProblems } from './problems';
import { inspectRuntime } from './runtime';

/** Where the doctor writes and what it reads. */
export interface DoctorIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

const USAGE = `Usage: waymark doctor [app.js] [--dir DIR]
  Checks what the agent would do here: the configuration as resolved from OTEL_* variables
  (secrets masked), the instrumented libraries installed in node_modules (from DIR, the
  app's directory, or the current one) and whether their versions are supported, whether
  the endpoint accepts a test span, the Node line and its ESM hook. With app.js, also
  starts the app under the agent for about 3 s (its spans are not exported) and reports
  what the agent instrumented, and what was loaded before it. Exits 1 when spans cannot
  be delivered.
`;

/** The package root (register.js, register.mjs): build/src/doctor is three levels down. */
const ROOT = path.resolve(__dirname, '..', '..', '..');

function registry(): readonly InstrumentationEntry[] {
  return (require('../../instrumentations') as typeof import('../../instrumentations')).INSTRUMENTATIONS;
}

/** Runs `waymark doctor` with the arguments after `doctor`; resolves to the exit status. */
export async function runDoctor(args: string[], io: DoctorIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { dir: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    io.stderr(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    io.stdout(USAGE);
    return 0;
  }
  const app = parsed.positionals[0];
  const appPath = app === undefined ? undefined : path.resolve(io.cwd, app);
  const dir = path.resolve(io.cwd, parsed.values.dir ?? (appPath === undefined ? '.' : path.dirname(appPath)));
  const config = readConfig(io.env);
  const findings = {
    config,
    runtime: await inspectRuntime(),
    libraries: inspectLibraries(registry(), dir),
    endpoints: config.disabled ? [] : await checkEndpoints(config),
    missingApp: appPath !== undefined && !existsSync(appPath) ? app : undefined,
    appRun: appPath !== undefined && existsSync(appPath) ? await runApp(appPath, io.env, ROOT) : undefined,
  };
  const problems = findProblems(findings);
  io.stdout(formatReport(findings, problems, dir));
  return problems.some((p) => p.blocksDelivery) ? 1 : 0;
}
