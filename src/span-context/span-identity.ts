import type { SpanContext, TraceState } from '@opentelemetry/api';
import { hex64, randomSpanWords, TraceId } from './ids';

/**
 * Ids, flags and parentage shared by recording and non-recording spans. Ids are words
 * until asked for as hex; the API's SpanContext object is built on first request only
 * (for propagation or a user's `spanContext()`), so a leaf span never allocates one.
 */
export abstract class SpanIdentity {
  readonly trace: TraceId;
  s0 = 0;
  s1 = 0;
  readonly traceFlags: number;
  readonly #traceState: TraceState | undefined;
  readonly #localParent: SpanIdentity | undefined;
  readonly #remoteParent: SpanContext | undefined;
  #spanHex: string | undefined;
  #context: SpanContext | undefined;

  constructor(
    trace: TraceId,
    traceFlags: number,
    traceState: TraceState | undefined,
    localParent: SpanIdentity | undefined,
    remoteParent: SpanContext | undefined,
  ) {
    this.trace = trace;
    this.traceFlags = traceFlags;
    this.#traceState = traceState;
    this.#localParent = localParent;
    this.#remoteParent = remoteParent;
    randomSpanWords(this);
  }

  get traceId(): string {
    return this.trace.hex;
  }

  get spanId(): string {
    return (this.#spanHex ??= hex64(this.s0, this.s1));
  }

  get parentSpanId(): string | undefined {
    return this.#localParent !== undefined ? this.#localParent.spanId : this.#remoteParent?.spanId;
  }

  /** True when the parent came from another process (OTLP span flags). */
  get parentIsRemote(): boolean | undefined {
    if (this.#localParent !== undefined) return false;
    return this.#remoteParent === undefined ? undefined : this.#remoteParent.isRemote === true;
  }

  /** The parent span in this process, when there is one (exporters can read its words). */
  get localParent(): SpanIdentity | undefined {
    return this.#localParent;
  }

  get traceStateObject(): TraceState | undefined {
    return this.#traceState;
  }

  /** Serialized tracestate for exporters, computed at export time only. */
  get traceState(): string | undefined {
    const ts = this.#traceState;
    if (ts === undefined) return undefined;
    const s = ts.serialize();
    return s === '' ? undefined : s;
  }

  spanContext(): SpanContext {
    return (this.#context ??= {
      traceId: this.trace.hex,
      spanId: this.spanId,
      traceFlags: this.traceFlags,
      traceState: this.#traceState,
      isRemote: false,
    });
  }
}
