import { describeError, diag } from '../../src/diag';
import type { SpanExporter, SpanRecord } from '../../src/export/span-record';
import type { SpanProcessor } from '../../src/sdk/tracer-provider';

/** Exports each sampled span as it ends, unbatched: for tests and local debugging only. */
export class SimpleSpanProcessor implements SpanProcessor {
  readonly #exporter: SpanExporter;
  readonly #pending = new Set<Promise<unknown>>();

  constructor(exporter: SpanExporter) {
    this.#exporter = exporter;
  }

  onEnd(span: SpanRecord): void {
    if ((span.traceFlags & 1) === 0) return;
    const p = this.#exporter
      .export([span])
      .catch((err) => diag.debug(`export failed: ${describeError(err)}`))
      .finally(() => this.#pending.delete(p));
    this.#pending.add(p);
  }

  async forceFlush(): Promise<void> {
    await Promise.all([...this.#pending]);
  }

  async shutdown(): Promise<void> {
    await this.forceFlush();
    await this.#exporter.shutdown();
  }
}
