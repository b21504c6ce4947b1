import { parseArgs } from 'node:util';
import { parseDuration } from './duration';
import { formatSpanList, formatTraceList } from './format-query';
import { formatTrace } from './format-trace';
import { allSpans, groupTraces, spansOfService, topSelfTime, tracesSlowerThan, tracesWithErrors } from './query';
import { readSpanFile } from './span-file';
import { DEFAULT_MAX_SPANS } from './trace-store';
import { startViewer } from './viewer';
import { DEFAULT_UI_PORT } from './web-ui-server';

/** Where the CLI writes and what it reads of its environment. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
  /** Resolves when the user asks the viewer to stop (default: SIGINT or SIGTERM). */
  untilStopped?: () => Promise<void>;
}

const USAGE = `Usage:
  waymark view  [spans.jsonl] [--port 4318] [--ui-port 16686] [--no-ui] [--host 127.0.0.1]
                [--max-spans 1000000] [--out spans.jsonl] [--quiet 1s] [--no-color]
      Receive OTLP/HTTP traces (protobuf or JSON), print each completed trace as a tree, and
      serve a web UI to search them and see each one's waterfall, critical path and the
      service map (next free port if 16686 is taken). A span file given is loaded first.
  waymark query <spans.jsonl> [--slower-than 1s] [--errors] [--service NAME] [--top-self-time N] [--tree] [--no-color]
      Ask a span file written by --out: slow traces, failed traces, one service's spans,
      the spans with the most self time. --tree prints the matching traces as trees.

The viewer is a development tool: production traces belong in an OpenTelemetry Collector,
Jaeger, Zipkin or Tempo.
`;

function defaultIo(): CliIo {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    isTTY: process.stdout.isTTY === true,
  };
}

/** Runs `waymark <command> ...`; resolves with the exit code. */
export async function runCli(argv: readonly string[], io: CliIo = defaultIo()): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'view') return await view(rest, io);
    if (command === 'query') return await query(rest, io);
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      io.stdout(USAGE);
      return command === undefined ? 1 : 0;
    }
    io.stderr(`waymark: unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
    return 1;
  } catch (err) {
    io.stderr(`waymark ${command}: ${(err as Error).message}\n`);
    return 1;
  }
}

function useColor(values: { color?: boolean; 'no-color'?: boolean }, io: CliIo): boolean {
  if (values['no-color']) return false;
  if (values.color) return true;
  return io.isTTY && io.env.NO_COLOR === undefined && io.env.TERM !== 'dumb';
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

async function view(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      port: { type: 'string', default: '4318' },
      'ui-port': { type: 'string', default: String(DEFAULT_UI_PORT) },
      'no-ui': { type: 'boolean' },
      host: { type: 'string', default: '127.0.0.1' },
      'max-spans': { type: 'string', default: String(DEFAULT_MAX_SPANS) },
      out: { type: 'string' },
      quiet: { type: 'string', default: '1s' },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
    },
  });
  const port = portNumber(values.port!, '--port');
  const uiPort = portNumber(values['ui-port']!, '--ui-port');
  const maxSpans = Number(values['max-spans']);
  if (!Number.isInteger(maxSpans) || maxSpans < 1) throw new Error(`--max-spans must be a positive whole number, got ${values['max-spans']}`);
  if (positionals.length > 1) throw new Error('give at most one span file to load');
  const quietNs = parseDuration(values.quiet!);
  if (quietNs === undefined) throw new Error(`--quiet must be a duration such as 1s or 500ms, got ${values.quiet}`);
  const viewer = await startViewer({
    port,
    host: values.host,
    out: values.out,
    color: useColor(values, io),
    assembler: { quietMs: quietNs / 1e6 },
    write: io.stdout,
    warn: (line) => io.stderr(line + '\n'),
    ui: values['no-ui'] ? false : { port: uiPort },
    maxSpans,
  });
  if (!LOOPBACK.has(values.host!)) {
    io.stderr(`waymark view: warning: --host ${values.host} serves every received span, unauthenticated, to whoever can reach this address\n`);
  }
  if (positionals[0] !== undefined) {
    const { spans, skippedLines } = await readSpanFile(positionals[0]);
    viewer.load(spans);
    const { traces } = viewer.store.stats;
    io.stderr(`waymark view: loaded ${spans.length} spans (${traces} traces) from ${positionals[0]}${skippedLines ? `, skipped ${skippedLines} line(s) that are not spans` : ''}\n`);
  }
  io.stderr(
    (viewer.ui ? `waymark view: web UI on ${viewer.ui.url}\n  ` : 'waymark view: ') +
      `receiving OTLP/HTTP traces on ${viewer.url} (protobuf or JSON)` +
      `${values.out ? `, appending spans to ${values.out}` : ''}\n` +
      `  point services at it with OTEL_EXPORTER_OTLP_ENDPOINT=${viewer.endpoint}; Ctrl-C to stop\n`,
  );
  await (io.untilStopped ?? untilSignal)();
  await viewer.close();
  return 0;
}

function portNumber(text: string, flag: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${flag} must be a port number, got ${text}`);
  return port;
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

async function query(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      'slower-than': { type: 'string' },
      errors: { type: 'boolean' },
      service: { type: 'string' },
      'top-self-time': { type: 'string' },
      tree: { type: 'boolean' },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
    },
  });
  if (positionals.length !== 1) throw new Error('give exactly one span file (written by `waymark view --out FILE`)');
  let slowerNs: number | undefined;
  if (values['slower-than'] !== undefined) {
    slowerNs = parseDuration(values['slower-than']);
    if (slowerNs === undefined) throw new Error(`--slower-than must be a duration such as 1s or 250ms, got ${values['slower-than']}`);
  }
  let top: number | undefined;
  if (values['top-self-time'] !== undefined) {
    top = Number(values['top-self-time']);
    if (!Number.isInteger(top) || top < 1) throw new Error(`--top-self-time must be a positive whole number, got ${values['top-self-time']}`);
  }
  const color = useColor(values, io);

  const { spans, skippedLines } = await readSpanFile(positionals[0]!);
  if (skippedLines) io.stderr(`waymark query: skipped ${skippedLines} line(s) that are not spans\n`);
  let traces = groupTraces(spans);
  if (slowerNs !== undefined) traces = tracesSlowerThan(traces, slowerNs);
  if (values.errors) traces = tracesWithErrors(traces);
  if (values.service !== undefined) traces = traces.filter((t) => t.services.includes(values.service!));

  if (values.tree) {
    io.stdout(traces.map((t) => formatTrace(t, { color })).join('\n') || 'no matching traces\n');
  } else if (top !== undefined) {
    const hits = values.service !== undefined ? spansOfService(traces, values.service) : allSpans(traces);
    io.stdout(formatSpanList(topSelfTime(hits, top), { color }));
  } else if (values.service !== undefined) {
    io.stdout(formatSpanList(spansOfService(traces, values.service), { color }));
  } else {
    io.stdout(formatTraceList(traces, { color }));
  }
  return 0;
}
