import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BodyError, decodeBody, decompress, isJsonBody } from './decode-body';
import { formatTrace } from './format-trace';
import { errorReply, successReply, type OtlpReply } from './otlp-response';
import { SpanFileWriter } from './span-file';
import { TraceAssembler, type AssemblerOptions } from './trace-assembler';
import { TraceStore } from './trace-store';
import { buildTraceTree, type TraceTree } from './trace-tree';
import type { ViewSpan } from './view-span';
import { startWebUi, type WebUi } from './web-ui-server';

/** How to run the viewer. */
export interface ViewerOptions {
  /** Default 4318 (OTLP/HTTP); 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1: a development tool listens locally only. */
  host?: string;
  /** Append every received span to this JSON-lines file. */
  out?: string;
  /** ANSI colours in printed trees (default false). */
  color?: boolean;
  /** When a trace counts as complete. */
  assembler?: Partial<AssemblerOptions>;
  /** Where printed trees go (default stdout); false prints nothing. */
  write?: ((text: string) => void) | false;
  /** Called with each completed trace after it is printed. */
  onTrace?: (tree: TraceTree) => void;
  /** Diagnostic lines (default: stderr). */
  warn?: (line: string) => void;
  /** Largest request body accepted, compressed or not (default 32 MiB). */
  maxBodyBytes?: number;
  /** Serve the web UI (default: not): its port (default 16686, the next free one if taken). */
  ui?: false | { port?: number; uiDir?: string };
  /** Spans the UI's store holds (default 1,000,000); the oldest traces are evicted first. */
  maxSpans?: number;
}

/** Counters since start. */
export interface ViewerStats {
  requests: number;
  rejected: number;
  spans: number;
  traces: number;
}

/** A running viewer. */
export interface Viewer {
  /** The OTLP traces endpoint, e.g. http://127.0.0.1:4318/v1/traces. */
  readonly url: string;
  /** The value for OTEL_EXPORTER_OTLP_ENDPOINT, e.g. http://127.0.0.1:4318. */
  readonly endpoint: string;
  readonly port: number;
  readonly stats: Readonly<ViewerStats>;
  /** The web UI, when served. */
  readonly ui: WebUi | undefined;
  /** What the UI searches. */
  readonly store: TraceStore;
  /** Adds saved spans (a file) to the store, without printing or writing them. */
  load(spans: readonly ViewSpan[]): void;
  /** Prints every trace still held, complete or not. */
  flush(): void;
  /** Prints what is held, closes the span file and stops listening. */
  close(): Promise<void>;
}

const TRACES_PATH = '/v1/traces';
const TICK_MS = 100;
/** Evictions by the span bound are reported at once, then at most this often. */
const EVICTION_REPORT_MS = 10_000;

/**
 * Starts the local OTLP/HTTP trace receiver that prints each completed trace as a tree.
 * A thin shell: decoding, grouping and formatting live in their own modules.
 */
export async function startViewer(opts: ViewerOptions = {}): Promise<Viewer> {
  const host = opts.host ?? '127.0.0.1';
  const maxBody = opts.maxBodyBytes ?? 32 * 1024 * 1024;
  const warn = opts.warn ?? ((line: string) => process.stderr.write(line + '\n'));
  const write = opts.write === false ? undefined : (opts.write ?? ((text: string) => process.stdout.write(text)));
  const assembler = new TraceAssembler(opts.assembler);
  const file = opts.out ? new SpanFileWriter(opts.out, (err) => warn(`waymark view: cannot write ${opts.out}: ${err.message}`)) : undefined;
  const stats: ViewerStats = { requests: 0, rejected: 0, spans: 0, traces: 0 };
  const store = new TraceStore(opts.maxSpans);
  let ui: WebUi | undefined;

  function receive(spans: ViewSpan[]): void {
    const valid = spans.filter((s) => s.traceId !== '' && s.spanId !== '');
    stats.spans += valid.length;
    file?.write(valid);
    assembler.add(valid, Date.now());
    store.add(valid);
  }

  function print(traces: ViewSpan[][]): void {
    for (const spans of traces) {
      stats.traces++;
      try {
        const tree = buildTraceTree(spans);
        write?.(formatTrace(tree, { color: opts.color ?? false, traceUrl: ui?.traceUrl }) + '\n');
        opts.onTrace?.(tree);
      } catch (err) {
        warn(`waymark view: could not print a trace: ${(err as Error).message}`);
      }
    }
  }

  async function reply(req: IncomingMessage): Promise<OtlpReply> {
    const path = (req.url ?? '').split('?')[0];
    if (path !== TRACES_PATH) return { status: 404, contentType: 'text/plain', body: `only POST ${TRACES_PATH} is served here\n` };
    if (req.method !== 'POST') return { status: 405, contentType: 'text/plain', body: `use POST ${TRACES_PATH}\n` };
    const raw = await readBody(req, maxBody);
    // Until the body is decompressed, only the content type tells how to word an error.
    let json = isJsonBody(req.headers['content-type'], raw);
    try {
      const body = await decompress(req.headers['content-encoding'], raw, maxBody);
      json = isJsonBody(req.headers['content-type'], body);
      receive(decodeBody(json, body));
      return successReply(json);
    } catch (err) {
      if (!(err instanceof BodyError)) throw err;
      stats.rejected++;
      return errorReply(err.status, err.message, json);
    }
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    stats.requests++;
    req.on('error', () => {});
    reply(req).then(
      (r) => send(res, r),
      (err: unknown) => {
        const status = err instanceof BodyError ? err.status : 500;
        if (status === 500) warn(`waymark view: ${(err as Error)?.message ?? err}`);
        send(res, { status, contentType: 'text/plain', body: `${(err as Error)?.message ?? 'error'}\n` });
      },
    );
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(listenError(err, host, opts.port ?? 4318)));
    server.listen(opts.port ?? 4318, host, () => resolve());
  });
  server.on('error', (err) => warn(`waymark view: ${err.message}`));
  if (opts.ui) {
    try {
      ui = await startWebUi({ store, port: opts.ui.port, host, uiDir: opts.ui.uiDir, warn });
    } catch (err) {
      server.close();
      throw err;
    }
  }

  let reported = { at: 0, traces: 0, spans: 0 };
  function reportEvictions(now: number): void {
    const { evictedTraces, evictedSpans, maxSpans } = store.stats;
    if (evictedTraces === reported.traces || now - reported.at < EVICTION_REPORT_MS) return;
    warn(
      `waymark view: holding at most ${maxSpans} spans (--max-spans): evicted the ${evictedTraces - reported.traces} oldest traces ` +
        `(${evictedSpans - reported.spans} spans) since the last report, ${evictedTraces} in all`,
    );
    reported = { at: now, traces: evictedTraces, spans: evictedSpans };
  }

  const timer = setInterval(() => {
    const now = Date.now();
    print(assembler.takeComplete(now));
    reportEvictions(now);
  }, TICK_MS);
  timer.unref();

  const port = (server.address() as AddressInfo).port;
  const endpoint = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url: endpoint + TRACES_PATH,
    endpoint,
    port,
    stats,
    ui,
    store,
    load: (spans) => store.add(spans),
    flush: () => print(assembler.takeAll()),
    close: () => {
      closing ??= (async () => {
        clearInterval(timer);
        await ui?.close();
        const closed = once(server, 'close');
        server.close();
        server.closeIdleConnections();
        // A client still mid-request gets a moment, not a veto over shutdown.
        const force = setTimeout(() => server.closeAllConnections(), 1000);
        await closed;
        clearTimeout(force);
        print(assembler.takeAll());
        await file?.close();
      })();
      return closing;
    },
  };
}

function send(res: ServerResponse, r: OtlpReply): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(r.status, { 'content-type': r.contentType });
  res.end(r.body);
}

/** Reads a request body, refusing (413) anything larger than `max` bytes. */
function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > max) {
      req.resume();
      return reject(new BodyError(413, `body larger than ${max} bytes`));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        reject(new BodyError(413, `body larger than ${max} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('aborted', () => reject(new BodyError(400, 'request aborted')));
  });
}

function listenError(err: NodeJS.ErrnoException, host: string, port: number): Error {
  if (err.code === 'EADDRINUSE') {
    return new Error(`${host}:${port} is already in use (a Collector, Jaeger or another viewer?); choose another port with --port`);
  }
  return err;
}
