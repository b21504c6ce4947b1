import { execFile } from 'node:child_process';
import { assertBuilt, ROOT } from './paths';
import { startOtlpReceiver, type ReceivedSpan } from './otlp-receiver';

const APPS = { require: 'test/fixtures/logs/app.cjs', import: 'test/fixtures/logs/app.mjs' } as const;

/** How the spawned app loads the agent and its logger: CommonJS with --require, ESM with --import. */
export type LogPreload = keyof typeof APPS;

/** One line a fixture logged in a request handler: its label (`a` or `b`), phase (`start`, `end`) and the line. */
export interface LoggedLine {
  label: string;
  phase: string;
  line: string;
}

/** What a run of the log fixture printed and exported. */
export interface LogFixtureRun {
  code: number;
  stderr: string;
  /** The handler lines, in the order written. */
  logged: LoggedLine[];
  /** The exported SERVER span of `/a` and of `/b`. */
  servers: { a: ReceivedSpan; b: ReceivedSpan };
}

const KIND_SERVER = 2;

/**
 * Runs test/fixtures/logs/app.* with `logger` (`pino`, `winston`, `bunyan` or `console`)
 * under the built agent, exporting to a local OTLP receiver.
 */
export async function runLogFixture(logger: string, preload: LogPreload, env: Record<string, string> = {}): Promise<LogFixtureRun> {
  assertBuilt();
  const receiver = await startOtlpReceiver();
  try {
    const flag = preload === 'require' ? ['--require', './register.js'] : ['--import', './register.mjs'];
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [...flag, APPS[preload]],
        {
          cwd: ROOT,
          timeout: 15_000,
          env: {
            PATH: process.env.PATH ?? '',
            OTEL_SERVICE_NAME: 'logs-app',
            // The startup report (info) is not what these tests read on stderr.
            OTEL_LOG_LEVEL: 'warn',
            OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url,
            OTEL_BSP_SCHEDULE_DELAY: '50',
            WM_LOGGER: logger,
            ...env,
          },
        },
        (err, out, errOut) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout: out, stderr: errOut }),
      );
    });
    const logged = stdout
      .split('\n')
      .filter((l) => l.includes('handled'))
      .map((line) => ({ line, label: /label[=":]+([ab])/.exec(line)?.[1] ?? '?', phase: /phase[=":]+(start|end)/.exec(line)?.[1] ?? '?' }));
    const spans = await receiver.waitForSpans(4);
    const server = (p: string) => spans.find((s) => s.kind === KIND_SERVER && attr(s, 'url.path') === p)!;
    return { code, stderr, logged, servers: { a: server('/a'), b: server('/b') } };
  } finally {
    await receiver.close();
  }
}

function attr(span: ReceivedSpan, key: string): unknown {
  const kv = span.attributes.find((a) => a.key === key);
  return kv?.value.stringValue ?? kv?.value.intValue;
}

/** The W3C trace flags of an exported span as two hex digits (the low byte of OTLP's span flags). */
export function flagsOf(span: ReceivedSpan): string {
  return ((span.flags ?? 0) & 0xff).toString(16).padStart(2, '0');
}
