import type { TracerProvider as ApiTracerProvider, TracerOptions, TraceState } from '@opentelemetry/api';
import type { SpanLimits } from '../config';
import type { SpanRecord } from '../export/span-record';
import type { SampleDecision } from './sampler';
import type { SpanSink } from './span';
import { Tracer, type TracerState } from './tracer';

/** A processor as the provider sees it: a sink plus flush and shutdown. */
export interface SpanProcessor extends SpanSink {
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
  /** The flush when the process is ending, over by `endBy` (epoch ms; optional). */
  flushFinal?(endBy: number): Promise<void>;
  /** Blocking flush for the `exit` event, within `timeoutMs` (optional). */
  flushSync?(timeoutMs: number): void;
}

/**
 * The API's TracerProvider: hands out one Tracer per scope and fans finished spans out
 * to its processors (usually one: most setups have a single exporter).
 */
export class TracerProvider implements ApiTracerProvider {
  readonly #tracers = new Map<string, Tracer>();
  readonly #processors: SpanProcessor[];
  readonly #state: TracerState;

  constructor(opts: {
    sample: SampleDecision;
    limits: SpanLimits;
    processors: SpanProcessor[];
    thresholdState?: (th: string) => TraceState;
  }) {
    this.#processors = opts.processors;
    const sink: SpanSink =
      opts.processors.length === 1
        ? opts.processors[0]!
        : {
            onEnd: (span: SpanRecord) => {
              for (const p of this.#processors) p.onEnd(span);
            },
          };
    this.#state = { sample: opts.sample, thresholdState: opts.thresholdState, limits: opts.limits, sink };
  }

  getTracer(name: string, version?: string, options?: TracerOptions): Tracer {
    const key = `${name}@${version ?? ''}@${options?.schemaUrl ?? ''}`;
    let tracer = this.#tracers.get(key);
    if (tracer === undefined) {
      tracer = new Tracer({ name: String(name), version, schemaUrl: options?.schemaUrl }, this.#state);
      this.#tracers.set(key, tracer);
    }
    return tracer;
  }

  async forceFlush(): Promise<void> {
    await Promise.all(this.#processors.map((p) => p.forceFlush()));
  }

  /** The flush when the process is ending: every processor, over by `endBy` (epoch ms). */
  async flushFinal(endBy: number): Promise<void> {
    await Promise.all(this.#processors.map((p) => (p.flushFinal === undefined ? p.forceFlush() : p.flushFinal(endBy))));
  }

  /** Blocking flush of every processor that supports it (the `exit` event), all within `timeoutMs`. */
  flushSync(timeoutMs: number): void {
    const endBy = Date.now() + timeoutMs;
    for (const p of this.#processors) {
      try {
        p.flushSync?.(Math.max(0, endBy - Date.now()));
      } catch {
        // exit must go on
      }
    }
  }

  async shutdown(): Promise<void> {
    await Promise.all(this.#processors.map((p) => p.shutdown()));
  }
}
