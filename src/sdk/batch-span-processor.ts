import { RateLimitedLog, describeError, diag } from '../diag';
import { ENCODE_SLICE_SPANS, type EncodedBatch, type ExportResult, type SpanExporter, type SpanRecord } from '../export/span-record';
import type { SpanSink } from './span';

export interface BatchOptions {
  scheduleDelayMs: number;
  exportTimeoutMs: number;
  maxQueueSize: number;
  maxExportBatchSize: number;
}

/** How often a run of dropped spans is reported (one line per interval, not per span). */
const DROP_REPORT_INTERVAL_MS = 10_000;

/*
 * Why encode ahead, in slices of ENCODE_SLICE_SPANS: span records that wait in the queue for
 * a full batch of 512 live through scavenges and are copied by each: on a Fastify app,
 * scavenges copied twice the bytes they copy without export, pauses grew from ~0.1 ms to
 * 0.5-3 ms, and V8 doubled the young generation (+16 MB of RSS). Encoded as soon as a slice
 * has queued, the records die young and the queue holds bytes (outside the JS heap).
 */

/** `count` queued spans already encoded (SpanExporter.encodeAhead). */
interface Slice {
  readonly body: Uint8Array;
  readonly count: number;
}

/** One batch taken off the queue, in order: whole encoded slices, then records not yet encoded. */
interface Batch {
  readonly slices: Slice[];
  readonly records: SpanRecord[];
}

/**
 * The span buffer: a bounded queue drained in batches by one exporter. A full batch is
 * exported at once; otherwise the scheduled delay does it. While an export is in flight
 * spans keep queueing, and a second export of this processor never starts. Its timers
 * are unref'd, so an idle agent never keeps the process alive. Spans that find the queue
 * full are dropped, counted, and reported once per interval.
 *
 * With an exporter that can encode ahead (OTLP protobuf), each full slice of queued spans
 * is encoded on the next turn of the event loop and kept as bytes (see ENCODE_SLICE_SPANS); a
 * batch is then its slices joined, plus the records not yet encoded. Batches, limits and
 * counters are in spans either way.
 */
export class BatchSpanProcessor implements SpanSink {
  readonly #exporter: SpanExporter;
  readonly #opts: BatchOptions;
  /** Encoded slices, older than every record of `#queue`. */
  #slices: Slice[] = [];
  #slicedSpans = 0;
  /** Spans not (yet) encoded. */
  #queue: SpanRecord[] = [];
  readonly #sliceSpans: number;
  #encodeScheduled = false;
  readonly #encodeLog = new RateLimitedLog(60_000);
  #timer: NodeJS.Timeout | undefined;
  #exporting: Promise<boolean> | undefined;
  #inFlight: SpanRecord[] | EncodedBatch | undefined;
  #shutdown = false;
  #droppedTotal = 0;
  #droppedSinceReport = 0;
  #dropTimer: NodeJS.Timeout | undefined;
  #exportedTotal = 0;
  #failedTotal = 0;

  constructor(exporter: SpanExporter, opts: BatchOptions) {
    this.#exporter = exporter;
    this.#opts = opts;
    const ahead = exporter.encodeAhead !== undefined && exporter.exportEncoded !== undefined;
    this.#sliceSpans = ahead ? Math.min(ENCODE_SLICE_SPANS, opts.maxExportBatchSize) : Infinity;
  }

  /** Counters for diagnostics and tests. */
  get stats(): { queued: number; dropped: number; exported: number; failed: number } {
    return { queued: this.#queued(), dropped: this.#droppedTotal, exported: this.#exportedTotal, failed: this.#failedTotal };
  }

  onEnd(span: SpanRecord): void {
    if ((span.traceFlags & 1) === 0) return;
    if (this.#shutdown || this.#queued() >= this.#opts.maxQueueSize) {
      this.#drop(1);
      return;
    }
    this.#queue.push(span);
    // Scheduled before an export of the same turn, so that export finds the slice encoded.
    if (this.#queue.length >= this.#sliceSpans && !this.#encodeScheduled) this.#encodeSoon();
    if (this.#queued() >= this.#opts.maxExportBatchSize) {
      if (this.#exporting === undefined) this.#exportSoon();
    } else if (this.#timer === undefined) {
      this.#timer = setTimeout(this.#onTimer, this.#opts.scheduleDelayMs);
      this.#timer.unref();
    }
  }

  /** Exports everything queued now (waiting for an export in flight first). */
  async forceFlush(): Promise<void> {
    while (this.#exporting !== undefined || this.#queued() > 0) {
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
    while (Date.now() < endBy && (this.#exporting !== undefined || this.#queued() > 0)) {
      if (this.#exporting !== undefined) {
        await this.#exporting;
        continue;
      }
      if (!(await this.#exportOne(endBy))) {
        this.#failedTotal += this.#queued();
        this.#queue = [];
        this.#slices = [];
        this.#slicedSpans = 0;
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
    const batches: Array<SpanRecord[] | EncodedBatch> = [];
    if (this.#inFlight !== undefined) batches.push(this.#inFlight);
    this.#inFlight = undefined;
    while (this.#queued() > 0) {
      const batch = this.#takeBatch();
      batches.push(batch.slices.length === 0 ? batch.records : this.#join(batch));
    }
    if (batches.length === 0) return;
    let delivered = 0;
    try {
      delivered = exporter.exportSync(batches, timeoutMs);
    } catch {
      // counted as failed below
    }
    for (let i = 0; i < batches.length; i++) {
      const batch = batches[i]!;
      const count = 'spanCount' in batch ? batch.spanCount : batch.length;
      if (i < delivered) this.#exportedTotal += count;
      else this.#failedTotal += count;
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
      if (this.#exporting === undefined && this.#queued() > 0) void this.#exportOne();
    }).unref();
  }

  #queued(): number {
    return this.#slicedSpans + this.#queue.length;
  }

  /** Off the caller's stack, as an export: the span that filled the slice is ending inside app code. */
  #encodeSoon(): void {
    this.#encodeScheduled = true;
    setImmediate(this.#encodeSlices).unref();
  }

  #encodeSlices = (): void => {
    this.#encodeScheduled = false;
    const n = this.#sliceSpans;
    const whole = this.#queue.length - (this.#queue.length % n);
    if (whole === 0) return;
    for (let i = 0; i < whole; i += n) {
      const body = this.#encode(this.#queue.slice(i, i + n));
      if (body === undefined) continue;
      this.#slices.push({ body, count: n });
      this.#slicedSpans += n;
    }
    this.#queue = this.#queue.slice(whole);
  };

  /** The spans' encoded bytes, or undefined when the encoder threw (the spans are then counted as failed). */
  #encode(spans: SpanRecord[]): Uint8Array | undefined {
    try {
      return this.#exporter.encodeAhead!(spans);
    } catch (err) {
      this.#failedTotal += spans.length;
      this.#encodeLog.warn('encode', `encoding ${spans.length} spans for export failed: ${describeError(err)}`);
      return undefined;
    }
  }

  /** The next batch: as many whole slices as fit, then (when no slice is left) records up to the batch size. */
  #takeBatch(): Batch {
    const max = this.#opts.maxExportBatchSize;
    let count = 0;
    let taken = 0;
    while (taken < this.#slices.length && count + this.#slices[taken]!.count <= max) count += this.#slices[taken++]!.count;
    const slices = taken === 0 ? [] : this.#slices.splice(0, taken);
    this.#slicedSpans -= count;
    let records: SpanRecord[] = [];
    if (this.#slices.length === 0 && count < max) {
      records = this.#queue.length <= max - count ? this.#queue : this.#queue.slice(0, max - count);
      this.#queue = records === this.#queue ? [] : this.#queue.slice(records.length);
    }
    return { slices, records };
  }

  /** A batch with slices as one request body: the slices joined, then its records encoded now. */
  #join(batch: Batch): EncodedBatch {
    const parts = batch.slices.map((s) => s.body);
    let spanCount = 0;
    for (const slice of batch.slices) spanCount += slice.count;
    const tail = batch.records.length === 0 ? undefined : this.#encode(batch.records);
    if (tail !== undefined) {
      parts.push(tail);
      spanCount += batch.records.length;
    }
    return { body: parts.length === 1 ? parts[0]! : Buffer.concat(parts), spanCount };
  }

  /** Exports the next batch; resolves whether it was delivered. */
  #exportOne(endBy?: number): Promise<boolean> {
    const batch = this.#takeBatch();
    let run: Promise<boolean>;
    if (batch.slices.length === 0) {
      const records = batch.records;
      if (records.length === 0) return Promise.resolve(true);
      this.#inFlight = records;
      run = this.#send(records.length, () => this.#exporter.export(records, endBy), endBy);
    } else {
      const encoded = this.#join(batch);
      this.#inFlight = encoded;
      run = this.#send(encoded.spanCount, () => this.#exporter.exportEncoded!(encoded.body, encoded.spanCount, endBy), endBy);
    }
    run = run.finally(() => {
      this.#exporting = undefined;
      this.#inFlight = undefined;
      this.#afterExport();
    });
    this.#exporting = run;
    return run;
  }

  async #send(count: number, exportBatch: () => Promise<ExportResult>, endBy: number | undefined): Promise<boolean> {
    let timeout: NodeJS.Timeout | undefined;
    const timeoutMs = Math.max(0, Math.min(this.#opts.exportTimeoutMs, (endBy ?? Infinity) - Date.now()));
    try {
      const timedOut = new Promise<{ ok: false; error: Error }>((resolve) => {
        timeout = setTimeout(() => resolve({ ok: false, error: new Error(`export timed out after ${timeoutMs} ms`) }), timeoutMs);
        timeout.unref();
      });
      const result = await Promise.race([exportBatch(), timedOut]);
      if (result.ok) {
        this.#exportedTotal += count;
        return true;
      }
      this.#failedTotal += count;
      diag.debug(`export of ${count} spans failed: ${result.error ? describeError(result.error) : 'unknown'}`);
    } catch (err) {
      this.#failedTotal += count;
      diag.debug(`export of ${count} spans threw: ${describeError(err)}`);
    } finally {
      clearTimeout(timeout);
    }
    return false;
  }

  #afterExport(): void {
    if (this.#queued() >= this.#opts.maxExportBatchSize) this.#exportSoon();
    else if (this.#queued() > 0 && this.#timer === undefined && !this.#shutdown) {
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
