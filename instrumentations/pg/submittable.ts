import type { Context } from '@opentelemetry/api';
import { context } from '../../src/api-globals';
import type { InstrumentationKit, AnyFunction } from '../../src/instrument';
import type { SqlSpanEnder } from '../../src/instrument/db';

/**
 * A pg submittable: an object with `submit(connection)` that the client drives through
 * `handle*` methods (`new Query(...)`, pg-cursor, pg-query-stream).
 */
export interface Submittable {
  submit(connection: unknown): unknown;
  handleError?: AnyFunction;
  handleReadyForQuery?: AnyFunction;
  /** pg.Query: set when a row failed to parse; ReadyForQuery then reports it as an error. */
  _canceledDueToError?: unknown;
}

export interface SubmittableCall {
  readonly query: Submittable;
  readonly parent: Context;
  readonly end: SqlSpanEnder;
}

/**
 * The client ends every submittable with `handleError` or `handleReadyForQuery`: wrap both on
 * this instance to end the span, and run them (and the callbacks and 'end'/'error' events
 * they fire) in the caller's context. Listeners are not added, so an unhandled 'error' event
 * still behaves as without the agent.
 */
export function observeSubmittable(kit: InstrumentationKit, { query, parent, end }: SubmittableCall): void {
  // A submittable used again: drop the wrappers of its previous run.
  kit.unwrap(query, 'handleError');
  kit.unwrap(query, 'handleReadyForQuery');
  const onError = kit.wrap(query, 'handleError', (original) =>
    function handleError(this: Submittable, ...args: unknown[]): unknown {
      end(args[0] ?? new Error('query failed'));
      return context.with(parent, () => original.apply(this, args));
    },
  );
  const onReady = kit.wrap(query, 'handleReadyForQuery', (original) =>
    function handleReadyForQuery(this: Submittable, ...args: unknown[]): unknown {
      // With a row parse error pending, pg turns this into handleError (wrapped above).
      if (!this._canceledDueToError) end(undefined);
      return context.with(parent, () => original.apply(this, args));
    },
  );
  // Not observable (frozen object, accessors): end now rather than never.
  if (!onError || !onReady) end(undefined);
}
