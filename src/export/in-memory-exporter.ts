import type { ExportResult, SpanExporter, SpanRecord } from './span-record';

/** Keeps exported spans in memory: for tests and for embedding. */
export class InMemorySpanExporter implements SpanExporter {
  readonly spans: SpanRecord[] = [];

  async export(spans: readonly SpanRecord[]): Promise<ExportResult> {
    this.spans.push(...spans);
    return { ok: true };
  }

  reset(): void {
    this.spans.length = 0;
  }

  async shutdown(): Promise<void> {}
}
