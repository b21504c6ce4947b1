import { context, isTracingSuppressed, recordError, type InstrumentationKit } from '../../src/instrument';
import { recordErrors } from './operation';
import { parseFailureSpec, validateFailureSpec, type DocumentLike } from './recipe';

/**
 * A parse or a validation makes a span only when it fails: a failed request then has a span
 * that says why (status ERROR with the message, an exception event), while a successful one
 * costs a clock read, not two more spans (servers such as Apollo cache both steps anyway).
 * The span starts when the step did (`start`, clock units) and is a child of the caller's.
 */

/** `parse(source)` threw `err`. */
export function recordParseFailure(kit: InstrumentationKit, start: number, source: unknown, err: unknown): void {
  try {
    const parent = context.active();
    if (!kit.active || isTracingSuppressed(parent)) return;
    const spec = kit.safe(parseFailureSpec, source);
    if (spec === undefined) return;
    const span = kit.startSpan(spec.name, spec.kind!, spec.attributes, parent, start);
    recordError(span, err);
    span.end();
  } catch (fault) {
    kit.fail(fault, 'graphql parse failure');
  }
}

/** `validate(schema, document)` returned `errors` (not empty), or threw (then `errors` holds what it threw). */
export function recordValidateFailure(kit: InstrumentationKit, start: number, document: unknown, errors: readonly unknown[]): void {
  try {
    const parent = context.active();
    if (!kit.active || isTracingSuppressed(parent)) return;
    const spec = kit.safe(validateFailureSpec, document as DocumentLike | undefined);
    if (spec === undefined) return;
    const span = kit.startSpan(spec.name, spec.kind!, spec.attributes, parent, start);
    recordErrors(span, errors);
    span.end();
  } catch (fault) {
    kit.fail(fault, 'graphql validation failure');
  }
}
