import { now, recordError, setSpan, SpanKind, type Attributes, type InstrumentationKit } from '../../src/instrument';
import { MAX_ERROR_EVENTS, recordMore, type FieldSpan, type Operation } from './operation';
import { ATTR_GRAPHQL_FIELD_NAME, ATTR_GRAPHQL_FIELD_PATH, ATTR_GRAPHQL_FIELD_TYPE, SPAN_RESOLVE_PREFIX } from './semconv';

/**
 * Opt-in resolver spans (WAYMARK_GRAPHQL_RESOLVER_SPANS), bounded by the query's shape, not
 * by its data: one span per field path with list indexes collapsed (`users.*.posts`, as
 * OpenTelemetry's `mergeItems` names them), so a 1,000-item list makes one span for each
 * resolver field under it, not 1,000. The span starts with the first call on its path and
 * ends, with the operation, at the end of the last call that settled; every call on the path
 * runs in its context, so a database call in a resolver is its child. Its parent is the span
 * of the nearest enclosing field path, else the operation's.
 */

/** Field paths with a span, per operation, at most; calls on further paths run in the operation's context. */
export const MAX_FIELD_SPANS = 256;

/** What a resolver call shows of itself: its response path (list indexes as `*`), field name and type. */
export interface FieldCall {
  readonly segments: readonly string[];
  readonly fieldName: string;
  readonly fieldType: string;
}

/** The collapsed key of a response path (its segments, list indexes already `*`). */
export function collapsedPath(segments: readonly string[]): string {
  return segments.join('.');
}

/** Bound of the path segments read; deeper paths are cut (graphql-js has no depth limit of its own). */
const MAX_DEPTH = 64;

/** Segments of a graphql-js 15/16 response path (`info.path`, a `{ key, prev }` list), list indexes as `*`. */
export function segmentsOfPath(path: { readonly key?: unknown; readonly prev?: unknown } | null | undefined): string[] {
  const out: string[] = [];
  let p = path;
  while (p != null && out.length < MAX_DEPTH) {
    out.push(typeof p.key === 'number' ? '*' : String(p.key));
    p = p.prev as typeof path;
  }
  return out.reverse();
}

/** Segments of graphql-js 17's `fieldPath` (`users.0.posts`), list indexes as `*` (names never start with a digit). */
export function segmentsOfFieldPath(fieldPath: string): string[] {
  const out = fieldPath.split('.', MAX_DEPTH);
  for (let i = 0; i < out.length; i++) {
    const c = out[i]!.charCodeAt(0);
    if (c >= 0x30 && c <= 0x39) out[i] = '*';
  }
  return out;
}

/** The span of the call's field path, made on its first call; undefined past the bound. */
export function fieldSpanFor(kit: InstrumentationKit, op: Operation, call: FieldCall): FieldSpan | undefined {
  const key = collapsedPath(call.segments);
  const fields = (op.fields ??= new Map());
  const known = fields.get(key);
  if (known !== undefined) return known;
  // A call that outlives its operation (a sibling of a failed non-null field) gets no span.
  if (!op.open || fields.size >= MAX_FIELD_SPANS) return undefined;
  const attributes: Attributes = {
    [ATTR_GRAPHQL_FIELD_NAME]: call.fieldName,
    [ATTR_GRAPHQL_FIELD_PATH]: key,
    [ATTR_GRAPHQL_FIELD_TYPE]: call.fieldType,
  };
  const parent = parentField(fields, call.segments);
  const parentCtx = parent === undefined ? op.ctx : parent.ctx;
  const span = kit.startSpan(SPAN_RESOLVE_PREFIX + key, SpanKind.INTERNAL, attributes, parentCtx);
  const field: FieldSpan = { span, ctx: setSpan(op.ctx, span), lastEnd: 0, errors: 0 };
  fields.set(key, field);
  return field;
}

/** The span of the nearest enclosing field path that has one. */
function parentField(fields: ReadonlyMap<string, FieldSpan>, segments: readonly string[]): FieldSpan | undefined {
  for (let n = segments.length - 1; n > 0; n--) {
    if (segments[n - 1] === '*') continue;
    const field = fields.get(segments.slice(0, n).join('.'));
    if (field !== undefined) return field;
  }
  return undefined;
}

/** A call on `field` settled (with `err` when it threw or rejected). Never throws. */
export function settleField(field: FieldSpan, err: unknown, failed: boolean): void {
  field.lastEnd = now();
  if (!failed || field.errors >= MAX_ERROR_EVENTS) return;
  if (field.errors === 0) recordError(field.span, err);
  else recordMore(field.span, err);
  field.errors++;
}
