import { now, recordError, setSpan, type Context, type InstrumentationKit, type Span } from '../../src/instrument';
import { operationSpanSpec, resultErrors, type DocumentLike } from './recipe';

/** The key under which an operation rides in its context: resolvers find it there. */
export const OPERATION = Symbol('waymark.graphql.operation');

/** Errors of one result (or one collapsed resolver span) recorded as exception events, at most. */
export const MAX_ERROR_EVENTS = 10;

/** The span of one resolver field path (list indexes collapsed), shared by every call on it. */
export interface FieldSpan {
  readonly span: Span;
  /** The operation's context with this span current: the resolver runs in it. */
  readonly ctx: Context;
  /** When the last call on this path settled (clock units); 0 while none has. */
  lastEnd: number;
  errors: number;
}

/**
 * One traced operation: its span, the context its execution (and every resolver) runs in,
 * and with resolver spans on, the spans of its field paths, ended with it. Ends once.
 */
export class Operation {
  #open = true;
  /** Field path (`users.*.posts`) -> its span; made by the first resolver call on it (resolver spans only). */
  fields: Map<string, FieldSpan> | undefined;
  readonly ctx: Context;

  constructor(
    readonly kit: InstrumentationKit,
    readonly span: Span,
    parent: Context,
  ) {
    const ctx = setSpan(parent, span);
    this.ctx = kit.settings.graphql.resolverSpans ? ctx.setValue(OPERATION, this) : ctx;
  }

  /** False once the span has ended. */
  get open(): boolean {
    return this.#open;
  }

  /** Ends the span with an execution result: the errors it carries are recorded. Never throws. */
  settle(result: unknown): void {
    if (!this.#open) return;
    this.#open = false;
    const errors = this.kit.safe(resultErrors, result);
    if (errors !== undefined) recordErrors(this.span, errors);
    this.#end();
  }

  /** Ends the span with what execute threw or rejected with. Never throws. */
  fail(err: unknown): void {
    if (!this.#open) return;
    this.#open = false;
    recordError(this.span, err);
    this.#end();
  }

  /** Never throws: it runs inside the app's execute call, or in a `then` of its promise. */
  #end(): void {
    const fields = this.fields;
    if (fields !== undefined) {
      for (const field of fields.values()) endField(field);
      fields.clear();
    }
    try {
      this.span.end();
    } catch (err) {
      this.kit.fail(err, 'graphql operation end');
    }
  }
}

/**
 * Starts the span of the operation `document` and `operationName` select, as a child of
 * `parent`; undefined when the recipe failed (which disabled the instrumentation).
 */
export function startOperation(kit: InstrumentationKit, parent: Context, document: DocumentLike | null | undefined, operationName: unknown): Operation | undefined {
  const spec = kit.safe2(operationSpanSpec, document, operationName);
  if (spec === undefined) return undefined;
  return new Operation(kit, kit.startSpan(spec.name, spec.kind!, spec.attributes, parent), parent);
}

/** The operation a resolver runs under, read from its context. */
export function operationIn(ctx: Context): Operation | undefined {
  const op = ctx.getValue(OPERATION);
  return op instanceof Operation ? op : undefined;
}

/**
 * Records `errors` on `span`: status ERROR with the first one's message, and an exception
 * event for each of the first MAX_ERROR_EVENTS. Never throws.
 */
export function recordErrors(span: Span, errors: readonly unknown[]): void {
  recordError(span, errors[0]);
  const n = Math.min(errors.length, MAX_ERROR_EVENTS);
  for (let i = 1; i < n; i++) recordMore(span, errors[i]);
}

/** One more exception event on a span whose status is already set. Never throws. */
export function recordMore(span: Span, err: unknown): void {
  try {
    span.recordException(err instanceof Error || typeof err === 'string' ? err : String(err));
  } catch {
    // A broken span implementation must not break the host.
  }
}

function endField(field: FieldSpan): void {
  try {
    field.span.end(field.lastEnd > 0 ? field.lastEnd : now());
  } catch {
    // As above.
  }
}
