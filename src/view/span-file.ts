import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Attrs, ViewEvent, ViewLink, ViewSpan } from './view-span';

/*
 * The JSON-lines span file: `waymark view --out spans.jsonl` appends one ViewSpan per
 * line; `waymark query spans.jsonl` reads it back.
 */

/** Appends spans to a JSON-lines file; a write failure is reported once and ends the writing, never the viewer. */
export class SpanFileWriter {
  readonly #stream: WriteStream;
  #failed = false;

  constructor(path: string, onError: (err: Error) => void) {
    this.#stream = createWriteStream(path, { flags: 'a' });
    this.#stream.on('error', (err) => {
      if (!this.#failed) onError(err);
      this.#failed = true;
    });
  }

  /** Queues the spans for writing, one line each. */
  write(spans: readonly ViewSpan[]): void {
    if (this.#failed || spans.length === 0) return;
    this.#stream.write(spans.map((s) => JSON.stringify(s)).join('\n') + '\n');
  }

  /** Flushes and closes the file. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.#failed || this.#stream.destroyed) return resolve();
      this.#stream.end(() => resolve());
    });
  }
}

/** Spans read from a file, and how many lines were not spans. */
export interface SpanFileContents {
  spans: ViewSpan[];
  skippedLines: number;
}

/** Reads a JSON-lines span file line by line. */
export async function readSpanFile(path: string): Promise<SpanFileContents> {
  const spans: ViewSpan[] = [];
  let skippedLines = 0;
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const span = parseSpanLine(line);
    if (span) spans.push(span);
    else skippedLines++;
  }
  return { spans, skippedLines };
}

/** One line back to a span; undefined when it is not one (missing ids, wrong types). */
export function parseSpanLine(line: string): ViewSpan | undefined {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isObject(v) || !str(v.traceId) || !str(v.spanId)) return undefined;
  const status = isObject(v.status) ? v.status : {};
  const scope = isObject(v.scope) ? v.scope : {};
  const links = Array.isArray(v.links) ? (v.links as unknown[]).filter((l): l is ViewLink => isObject(l) && str(l.traceId) && str(l.spanId)) : [];
  return {
    ...(links.length ? { links: links.map((l) => ({ traceId: l.traceId, spanId: l.spanId, attributes: isObject(l.attributes) ? (l.attributes as Attrs) : {} })) } : {}),
    traceId: v.traceId,
    spanId: v.spanId,
    parentSpanId: str(v.parentSpanId) ? v.parentSpanId : '',
    name: str(v.name) ? v.name : '',
    kind: typeof v.kind === 'number' ? v.kind : 0,
    service: str(v.service) ? v.service : 'unknown_service',
    startTimeUnixNano: str(v.startTimeUnixNano) ? v.startTimeUnixNano : '0',
    endTimeUnixNano: str(v.endTimeUnixNano) ? v.endTimeUnixNano : '0',
    status: { code: typeof status.code === 'number' ? status.code : 0, message: str(status.message) ? status.message : '' },
    attributes: isObject(v.attributes) ? (v.attributes as Attrs) : {},
    events: Array.isArray(v.events) ? (v.events as ViewEvent[]) : [],
    resource: isObject(v.resource) ? (v.resource as Attrs) : {},
    scope: { name: str(scope.name) ? scope.name : '', version: str(scope.version) ? scope.version : '' },
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function str(v: unknown): v is string {
  return typeof v === 'string';
}
