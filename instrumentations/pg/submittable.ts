import { context, type AnyFunction, type InstrumentationKit, type SpanCall } from '../../src/instrument';

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
  readonly call: SpanCall;
}

/**
 * The client ends every submittable with `handleError` or `handleReadyForQuery`: wrap both on
 * this instance to end the span, and run them (and the callbacks and 'end'/'error' events
 * they fire) in the caller's context. Listeners are not added, so an unhandled 'error' event
 * still behaves as without the agent.
 */
export function observeSubmittable(kit: InstrumentationKit, { query, call }: SubmittableCall): void {
  // A submittable used again: drop the wrappers of its previous run.
  kit.unwrap(query, 'handleError');
  kit.unwrap(query, 'handleReadyForQuery');
  const onError = kit.wrap(query, 'handleError', (original) =>
    function handleError(this: Submittable, err?: unknown): unknown {
      call.end(err ?? new Error('query failed'));
      return context.apply(call.parent, original, this, arguments);
    },
  );
  const onReady = kit.wrap(query, 'handleReadyForQuery', (original) =>
    function handleReadyForQuery(this: Submittable): unknown {
      // With a row parse error pending, pg turns this into handleError (wrapped above).
      if (!this._canceledDueToError) call.end();
      return context.apply(call.parent, original, this, arguments);
    },
  );
  // Not observable (frozen object, accessors): end now rather than never.
  if (!onError || !onReady) call.end();
}
