import { INVALID_SPAN_CONTEXT, trace, type Attributes, type Context, type Span, type SpanContext, type SpanKind, type TimeInput, type Tracer } from '@opentelemetry/api';
import { noopTracer, registeredTracer } from '../api-globals';
import { diag, describeError } from '../diag';
import { Tracer as SdkTracer } from '../sdk/tracer';
import { DEFAULT_SETTINGS, type InstrumentationSettings } from './settings';
import type { ModuleTarget } from './types';
import { activeSpanContext } from './trace-fields';
import { wrap, unwrap, type AnyFunction, type MakeWrapper } from './wrap';

/** Scope name prefix of every tracer the kit hands out. */
export const SCOPE_PREFIX = 'waymark/';

/**
 * What a span start that threw returns: records nothing, and as a parent it makes no child
 * (its context is invalid). One shared object: ending or changing it does nothing.
 */
const BROKEN_START_SPAN: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/**
 * The narrow handle an instrumentation gets: its tracer, the wrap helper and the
 * safe-call helper. A failure inside the instrumentation disables only it.
 */
export class InstrumentationKit {
  /** False once disabled (by config, a throwing recipe or patch): call the original. */
  active = true;
  readonly name: string;
  readonly version: string | undefined;
  /** The configuration instrumentations read (at patch time), from src/config.ts. */
  readonly settings: InstrumentationSettings;
  /** The registry entry's `channelTargets`: libraries it reaches through a diagnostics channel. */
  readonly channelTargets: readonly ModuleTarget[];
  #tracer: Tracer | undefined;
  /** The cached tracer when it is this agent's own (it can keep handed-over attributes). */
  #own: SdkTracer | undefined;

  constructor(
    name: string,
    version?: string,
    settings: InstrumentationSettings = DEFAULT_SETTINGS,
    channelTargets: readonly ModuleTarget[] = [],
  ) {
    this.name = name;
    this.version = version;
    this.settings = settings;
    this.channelTargets = channelTargets;
  }

  /**
   * The versions of `module` the registry entry declares in its `channelTargets` (ranges
   * joined with `||`), or undefined when it declares none: such an instance is left alone.
   */
  channelRange(module: string): string | undefined {
    const ranges = this.channelTargets.filter((t) => t.module === module).map((t) => t.versions);
    return ranges.length === 0 ? undefined : ranges.join(' || ');
  }

  /** The tracer of this instrumentation; resolved from the global provider, cached once real. */
  get tracer(): Tracer {
    const cached = this.#tracer;
    if (cached !== undefined) return cached;
    const t = registeredTracer(SCOPE_PREFIX + this.name, this.version);
    // Before the SDK registers there is nothing to pin: a no-op now, the real one later.
    if (t === undefined) return noopTracer(SCOPE_PREFIX + this.name, this.version);
    this.#tracer = t;
    if (t instanceof SdkTracer) this.#own = t;
    return t;
  }

  /**
   * Starts a span of this instrumentation as a child of `parent`. `attributes` is handed
   * over: a fresh object the caller no longer changes, which the span keeps as its own
   * instead of copying (the tracer of another SDK gets it as a normal option).
   */
  startSpan(name: string, kind: SpanKind, attributes: Attributes | undefined, parent: Context, startTime?: TimeInput): Span {
    // Every instrumentation's span comes from here: a start that throws (a broken tracer,
    // a recipe's bad attributes) disables this instrumentation with one line, and the
    // caller carries on with a span that records nothing, so the host call still runs once.
    try {
      const own = this.#own;
      if (own !== undefined) return own.startSpanOwning(name, kind, attributes, parent, startTime);
      return this.tracer.startSpan(name, { kind, attributes, startTime }, parent);
    } catch (err) {
      this.fail(err, 'span start');
      return BROKEN_START_SPAN;
    }
  }

  /**
   * The active span's context for a log record, or undefined outside a span or once
   * disabled. Never throws: a failing read disables this instrumentation with one line and
   * the record is written as without the agent.
   */
  activeSpanContext(): SpanContext | undefined {
    if (!this.active) return undefined;
    try {
      return activeSpanContext();
    } catch (err) {
      this.fail(err, 'span context read');
      return undefined;
    }
  }

  /** `wrap` from wrap.ts (never throws, refuses double wraps). */
  wrap<T extends object, K extends keyof T & (string | symbol)>(
    target: T,
    key: K,
    make: MakeWrapper<Extract<T[K], AnyFunction>>,
  ): boolean {
    return wrap(target, key, make);
  }

  /** `unwrap` from wrap.ts. */
  unwrap<T extends object>(target: T, key: keyof T & (string | symbol)): boolean {
    return unwrap(target, key);
  }

  /**
   * Calls `fn(arg)`; if it throws, returns undefined, logs one line and disables this
   * instrumentation. Pass a module-level function, not a fresh closure, on hot paths.
   */
  safe<A, R>(fn: (arg: A) => R, arg: A): R | undefined {
    try {
      return fn(arg);
    } catch (err) {
      this.fail(err, fn.name || 'recipe');
      return undefined;
    }
  }

  /** Two-argument form of `safe`. */
  safe2<A, B, R>(fn: (a: A, b: B) => R, a: A, b: B): R | undefined {
    try {
      return fn(a, b);
    } catch (err) {
      this.fail(err, fn.name || 'recipe');
      return undefined;
    }
  }

  /** Disables this instrumentation after an internal failure; logs once. */
  fail(err: unknown, where: string): void {
    if (!this.active) return;
    this.active = false;
    diag.error(`instrumentation ${this.name} disabled: ${where} threw: ${describeError(err)}`);
  }
}
