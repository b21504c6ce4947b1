import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { epochMicros } from '../clock';
import type { ExportResult, SpanExporter, SpanRecord } from './span-record';

/** Writes one JSON object per finished span to stdout, one line each: for development. */
export class ConsoleSpanExporter implements SpanExporter {
  readonly #write: (text: string) => void;

  /** `write` defaults to stdout; tests pass their own. */
  constructor(write?: (text: string) => void) {
    this.#write = write ?? ((text) => process.stdout.write(text));
  }

  async export(spans: readonly SpanRecord[]): Promise<ExportResult> {
    try {
      this.#writeBatch(spans);
      return { ok: true };
    } catch (err) {
      // A closed stdout (EPIPE) must not become the application's problem.
      return { ok: false, error: err instanceof Error ? err : new Error(String(err)) };
    }
  }

  /** At `exit`: stdout writes to files, pipes and terminals are synchronous on Linux, so this is too. */
  exportSync(batches: ReadonlyArray<readonly SpanRecord[]>): number {
    let written = 0;
    try {
      for (const spans of batches) {
        this.#writeBatch(spans);
        written++;
      }
    } catch {
      // a closed stdout: what was not written is lost
    }
    return written;
  }

  async shutdown(): Promise<void> {}

  #writeBatch(spans: readonly SpanRecord[]): void {
    let text = '';
    for (const span of spans) text += JSON.stringify(describeSpan(span)) + '\n';
    // One write per batch: lines from a batch stay together even when the app logs too.
    if (text) this.#write(text);
  }
}

/** The readable form of a span: names for enums, wall-clock start, duration in ms. */
export function describeSpan(span: SpanRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {
    traceId: span.traceId,
    parentId: span.parentSpanId,
    id: span.spanId,
    name: span.name,
    kind: SpanKind[span.kind] ?? span.kind,
    timestamp: isoTime(span.startTime),
    duration: roundMs(span.endTime - span.startTime),
    attributes: span.attributes,
    status: span.status.message
      ? { code: SpanStatusCode[span.status.code], message: span.status.message }
      : { code: SpanStatusCode[span.status.code] },
    scope: span.scope.version ? `${span.scope.name}@${span.scope.version}` : span.scope.name,
  };
  if (span.events.length > 0) {
    out.events = span.events.map((e) => ({
      name: e.name,
      // Offset from the span's start reads better than a second absolute timestamp.
      at: roundMs(e.time - span.startTime),
      ...(e.attributes && Object.keys(e.attributes).length > 0 ? { attributes: e.attributes } : {}),
    }));
  }
  if (span.links.length > 0) out.links = span.links.map((l) => ({ traceId: l.traceId, spanId: l.spanId, attributes: l.attributes }));
  return out;
}

function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

function isoTime(t: number): string | undefined {
  const micros = epochMicros(t);
  return Number.isFinite(micros) ? new Date(micros / 1000).toISOString() : undefined;
}
