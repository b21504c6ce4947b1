import { applyInContext } from '../sdk/context-manager';
import type { InstrumentationKit } from './kit';
import type { SpanCall } from './trace-call';

/** A driver's query object that reports its progress as events and ends with 'end' (after 'error' if it failed). */
export interface QueryEmitter {
  emit(event: string | symbol, ...args: unknown[]): boolean;
}

/** The query object a call returned (anything: it is checked) and the span of that call. */
export interface EmitterCall {
  readonly emitter: unknown;
  readonly call: SpanCall;
}

/**
 * For a query run without a callback (streaming: `query.on('result')`): wraps this one
 * object's `emit` to end the span at 'error' or 'end' and to deliver every event in the
 * caller's context, not in that of whoever opened the pooled connection. No listener is
 * added, so an 'error' nobody listens to still throws as without the agent. An object that
 * cannot be observed ends the span now rather than never. Used by mysql and mysql2.
 */
export function observeEmitter(kit: InstrumentationKit, { emitter, call }: EmitterCall): void {
  if (emitter === null || typeof emitter !== 'object' || typeof (emitter as QueryEmitter).emit !== 'function') {
    call.end();
    return;
  }
  const wrapped = kit.wrap(emitter as QueryEmitter, 'emit', (original) =>
    function emit(this: unknown, event: string | symbol, err?: unknown): boolean {
      if (event === 'error') call.end(err ?? new Error('query failed'));
      else if (event === 'end') call.end();
      return applyInContext(call.parent, original, this, arguments) as boolean;
    },
  );
  if (!wrapped) call.end();
}
