import { describeError, diag } from '../diag';
import type { SpanExporter, SpanRecord } from '../export/span-record';
import type { SpanSink } from './span';

export interface BatchOptions {
  scheduleDelayMs: number;
  exportTimeoutMs: number;
  maxQueueSize: number;
  maxExportBatchSize: number;
}

/** How often a run of dropped spans is reported (one line per interval, not per span). */
const DROP_REPORT_INTERVAL_MS = 10_000;

/**
 * The span buffer: a bounded queue drained in batches by one exporter. A full batch is
 * exported at once; otherwise the scheduled delay does it. While an export is in flight
 * spans keep queueing, and a second export of this processor never starts. Its timers
 * are unref'd, so an idle agent never keeps the process alive. Spans that find the queue
 * full are dropped, counted, and reported once per interval.
 */
export class BatchSpanProcessor implements SpanSink {
  readonly #exporter: SpanExporter;
  readonly #opts: BatchOptions;
  #queue: SpanRecord[] = [];
  #timer: NodeJS.Timeout | undefined;
  #exporting: Promise<boolean> | undefined;
  #inFlight: SpanRecord[] | undefined;
  #shutdown = false;
  #droppedTotal = 0;
  #droppedSinceReport = 0;
  #dropTimer: NodeJS.Timeout | undefined;
  #exportedTotal = 0;
  #failedTotal = 0;

  constructor(exporter: SpanExporter, opts: BatchOptions) {
    this.#exporter = exporter;
    this.#opts = opts;
  }

  /** Counters for diagnostics and tests. */
  get stats(): { queued: number; dropped: number; exported: number; failed: number } {
    return { queued: this.#queue.length, dropped: this.#droppedTotal, exported: this.#exportedTotal, failed: this.#failedTotal };
  }

  onEnd(span: SpanRecord): void {
    if ((span.traceFlags & 1) === 0) return;
    if (this.#shutdown || this.#queue.length >= this.#opts.maxQueueSize) {
      this.#drop(1);
      return;
    }
    this.#queue.push(span);
    if (this.#queue.length >= this.#opts.maxExportBatchSize) {
      if (this.#exporting === undefined) this.#exportSoon();
    } else if (this.#timer === undefined) {
      this.#timer = setTimeout(this.#onTimer, this.#opts.scheduleDelayMs);
      this.#timer.unref();
    }
  }

  /** Exports everything queued now (waiting for an export in flight first). */
  async forceFlush(): Promise<void> {
    while (this.#exporting !== undefined || this.#queue.length > 0) {
      if (this.#exporting !== undefined) await this.#exporting;
      else await this.#exportOne();
    }
  }

  /** Flushes, then shuts the exporter down; later spans are dropped. */
  async shutdown(): Promise<void> {
    if (this.#shutdown) return;
    this.#shutdown = true;
    try {
      await this.forceFlush();
    } finally {
      clearTimeout(this.#timer);
      this.#reportDrops();
      try {
        await this.#exporter.shutdown();
      } catch (err) {
        diag.debug(`exporter shutdown failed: ${describeError(err)}`);
      }
    }
  }

  /**
   * The flush when the process is ending: failed attempts are no longer retried, and what
   * is queued goes out batch after batch, all by `endBy` (epoch ms). The first failure ends
   * it and drops the rest: the collector is down or slow, and every further batch would
   * only wait for the same answer while the process is kept from ending.
   */
  async flushFinal(endBy: number): Promise<void> {
    this.#exporter.endRetries?.();
    while (Date.now() < endBy && (this.#exporting !== undefined || this.#queue.length > 0)) {
      if (this.#exporting !== undefined) {
        await this.#exporting;
        continue;
      }
      if (!(await this.#exportOne(endBy))) {
        this.#failedTotal += this.#queue.length;
        this.#queue = [];
      }
    }
  }

  /**
   * Last resort at `process.exit()` or a crash: hands what is queued, and the batch whose
   * export the exit is cutting off, to the exporter's blocking path, all within `timeoutMs`.
   * (That batch may then arrive twice if its request had reached the collector; a
   * duplicate beats a loss here.)
   */
  flushSync(timeoutMs: number): void {
    const exporter = this.#exporter;
    if (exporter.exportSync === undefined) return;
    const spans = this.#inFlight === undefined ? this.#queue : this.#inFlight.concat(this.#queue);
    this.#queue = [];
    this.#inFlight = undefined;
    if (spans.length === 0) return;
    const size = this.#opts.maxExportBatchSize;
    const batches: SpanRecord[][] = [];
    for (let i = 0; i < spans.length; i += size) batches.push(spans.slice(i, i + size));
    let delivered = 0;
    try {
      delivered = exporter.exportSync(batches, timeoutMs);
    } catch {
      // counted as failed below
    }
    for (let i = 0; i < batches.length; i++) {
      if (i < delivered) this.#exportedTotal += batches[i]!.length;
      else this.#failedTotal += batches[i]!.length;
    }
  }

  #onTimer = (): void => {
    this.#timer = undefined;
    if (this.#exporting === undefined) void this.#exportOne();
  };

  /** Off the caller's stack: the span that filled the batch is ending inside app code. */
  #exportSoon(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    setImmediate(() => {
      if (this.#exporting === undefined && this.#queue.length > 0) void this.#exportOne();
    }).unref();
  }

  /** Exports the next batch; resolves whether it was delivered. */
  #exportOne(endBy?: number): Promise<boolean> {
    const batch = this.#queue.length <= this.#opts.maxExportBatchSize
      ? this.#queue
      : this.#queue.slice(0, this.#opts.maxExportBatchSize);
    this.#queue = batch === this.#queue ? [] : this.#queue.slice(batch.length);
    if (batch.length === 0) return Promise.resolve(true);
    this.#inFlight = batch;
    const run = this.#send(batch, endBy).finally(() => {
      this.#exporting = undefined;
      this.#inFlight = undefined;
      this.#afterExport();
    });
    this.#exporting = run;
    return run;
  }

  async #send(batch: SpanRecord[], endBy: number | undefined): Promise<boolean> {
    let timeout: NodeJS.Timeout | undefined;
    const timeoutMs = Math.max(0, Math.min(this.#opts.exportTimeoutMs, (endBy ?? Infinity) - Date.now()));
    try {
      const timedOut = new Promise<{ ok: false; error: Error }>((resolve) => {
        timeout = setTimeout(() => resolve({ ok: false, error: new Error(`export timed out after ${timeoutMs} ms`) }), timeoutMs);
        timeout.unref();
      });
      const result = await Promise.race([this.#exporter.export(batch, endBy), timedOut]);
      if (result.ok) {
        this.#exportedTotal += batch.length;
        return true;
      }
      this.#failedTotal += batch.length;
      diag.debug(`export of ${batch.length} spans failed: ${result.error ? describeError(result.error) : 'unknown'}`);
    } catch (err) {
      this.#failedTotal += batch.length;
      diag.debug(`export of ${batch.length} spans threw: ${describeError(err)}`);
    } finally {
      clearTimeout(timeout);
    }
    return false;
  }

  #afterExport(): void {
    if (this.#queue.length >= this.#opts.maxExportBatchSize) this.#exportSoon();
    else if (this.#queue.length > 0 && this.#timer === undefined && !this.#shutdown) {
      this.#timer = setTimeout(this.#onTimer, this.#opts.scheduleDelayMs);
      this.#timer.unref();
    }
  }

  #drop(n: number): void {
    this.#droppedTotal += n;
    this.#droppedSinceReport += n;
    if (this.#dropTimer === undefined) {
      this.#dropTimer = setTimeout(() => this.#reportDrops(), DROP_REPORT_INTERVAL_MS);
      this.#dropTimer.unref();
    }
  }

  #reportDrops(): void {
    clearTimeout(this.#dropTimer);
    this.#dropTimer = undefined;
    if (this.#droppedSinceReport === 0) return;
    diag.warn(
      `dropped ${this.#droppedSinceReport} spans: the span queue was full (OTEL_BSP_MAX_QUEUE_SIZE=${this.#opts.maxQueueSize}); ${this.#droppedTotal} dropped in all`,
    );
    this.#droppedSinceReport = 0;
  }
}
