import type { Attributes, SpanKind, SpanStatus } from '@opentelemetry/api';

/** The instrumentation scope a span was created under (a tracer's name and version). */
export interface InstrumentationScope {
  readonly name: string;
  readonly version?: string;
  readonly schemaUrl?: string;
}

/** The process-wide resource: who is emitting (service.name and friends). */
export interface Resource {
  readonly attributes: Attributes;
}

/** An event recorded on a span. `time` is in the clock's units (see clock.ts). */
export interface SpanEventRecord {
  readonly name: string;
  readonly time: number;
  readonly attributes: Attributes | undefined;
  readonly droppedAttributesCount: number;
}

/** A link from a span to another span context. */
export interface SpanLinkRecord {
  readonly traceId: string;
  readonly spanId: string;
  readonly traceFlags: number;
  readonly traceState: string | undefined;
  readonly attributes: Attributes | undefined;
  readonly droppedAttributesCount: number;
}

/** A 128-bit trace id as four 32-bit unsigned words, most significant first (big-endian order). */
export interface TraceIdWords {
  readonly w0: number;
  readonly w1: number;
  readonly w2: number;
  readonly w3: number;
}

/** A 64-bit span id as two 32-bit unsigned words, most significant first. */
export interface SpanIdWords {
  readonly s0: number;
  readonly s1: number;
}

/**
 * What an exporter reads of a finished span. The live Span class implements it,
 * so nothing is copied at end(); conversion to wire formats happens at export.
 * Times are milliseconds on the monotonic clock of clock.ts; exporters turn them
 * into epoch nanoseconds with `epochNanos()`.
 */
export interface SpanRecord {
  readonly name: string;
  readonly kind: SpanKind;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  /** True when the parent came from another process (OTLP span flags bits 8-9). */
  readonly parentIsRemote: boolean | undefined;
  readonly traceFlags: number;
  /** Serialized W3C tracestate, or undefined. */
  readonly traceState: string | undefined;
  readonly startTime: number;
  readonly endTime: number;
  readonly attributes: Attributes;
  readonly droppedAttributesCount: number;
  readonly events: readonly SpanEventRecord[];
  readonly droppedEventsCount: number;
  readonly links: readonly SpanLinkRecord[];
  readonly droppedLinksCount: number;
  readonly status: SpanStatus;
  readonly scope: InstrumentationScope;

  /*
   * Optional: the same ids as 32-bit words, so a binary exporter writes bytes straight
   * from them instead of building hex and parsing it back. Spans of our SDK have them
   * (SpanIdentity); plain records (tests, other sources) leave them out and are read
   * through the hex fields above. When present they must agree with those fields:
   * `trace` with `traceId`; `s0`/`s1` (present whenever `trace` is) with `spanId`.
   */
  /** The trace id as words. When set, `s0` and `s1` are set too. */
  readonly trace?: TraceIdWords | undefined;
  /** High word of the span id (with `trace`). */
  readonly s0?: number | undefined;
  /** Low word of the span id (with `trace`). */
  readonly s1?: number | undefined;
  /**
   * The parent span when it is a span of this process: its `s0`/`s1` are `parentSpanId`
   * as words. Undefined for roots and remote parents (read `parentSpanId` then).
   */
  readonly localParent?: SpanIdWords | undefined;
}

/** Outcome of one export call. */
export interface ExportResult {
  readonly ok: boolean;
  readonly error?: Error;
}

/**
 * Spans per protobuf slice: what the batch span processor encodes ahead at a time (at most
 * maxExportBatchSize), and what the OTLP exporter encodes between turns of the event loop
 * when a larger batch reaches it unencoded. About 100 µs of encoding on a slow 2-core VM
 * (~0.9-1.5 µs per span there): short enough not to hold up the app's I/O, long enough that
 * a slice's own overhead (its resource and scope fields) stays small.
 */
export const ENCODE_SLICE_SPANS = 64;

/** Spans already in the exporter's wire format: one request body for `spanCount` spans. */
export interface EncodedBatch {
  readonly body: Uint8Array;
  readonly spanCount: number;
}

/** Sends batches of finished spans somewhere. One export at a time per processor. */
export interface SpanExporter {
  /** Exports one batch; with `endBy` (epoch ms, the process is ending) it is over by then. */
  export(spans: readonly SpanRecord[], endBy?: number): Promise<ExportResult>;
  shutdown(): Promise<void>;
  /** Optional: the process is ending, so a failed attempt is no longer retried. */
  endRetries?(): void;
  /**
   * Optional, for a format whose encoded requests join by concatenation (OTLP protobuf):
   * encodes spans into request bytes ahead of export, so the batch span processor keeps
   * bytes instead of span records while they wait for a full batch. An exporter that has
   * it has `exportEncoded` too, and its `exportSync` takes EncodedBatch entries.
   */
  readonly encodeAhead?: ((spans: readonly SpanRecord[]) => Uint8Array) | undefined;
  /** Exports a body of `encodeAhead` bytes (several joined) as one request, as `export` does. */
  exportEncoded?(body: Uint8Array, spanCount: number, endBy?: number): Promise<ExportResult>;
  /**
   * Optional blocking export for the `exit` event after `process.exit()`, when nothing
   * asynchronous can run any more: the batches in order, all within `timeoutMs`, stopping
   * at the first that fails. Returns how many were delivered. Batches are EncodedBatch
   * only for an exporter with `encodeAhead`.
   */
  exportSync?(batches: ReadonlyArray<readonly SpanRecord[] | EncodedBatch>, timeoutMs: number): number;
}
