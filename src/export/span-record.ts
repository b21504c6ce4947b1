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
}

/** Outcome of one export call. */
export interface ExportResult {
  readonly ok: boolean;
  readonly error?: Error;
}

/** Sends batches of finished spans somewhere. One export at a time per processor. */
export interface SpanExporter {
  export(spans: readonly SpanRecord[]): Promise<ExportResult>;
  shutdown(): Promise<void>;
  /**
   * Optional blocking export for the `exit` event after `process.exit()`, when nothing
   * asynchronous can run any more. True when the spans were delivered.
   */
  exportSync?(spans: readonly SpanRecord[]): boolean;
}
