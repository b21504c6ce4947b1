import { context, type Callback, type InstrumentationKit, type SpanCall } from '../../src/instrument';

/** A mysql2 command (Query, Execute): an EventEmitter that ends with 'end', after 'error' if it failed. */
export interface Command {
  emit(event: string | symbol, ...args: unknown[]): boolean;
  onResult?: Callback;
}

export interface CommandCall {
  readonly cmd: unknown;
  readonly call: SpanCall;
}

/**
 * Streaming form (no callback): wrap this command's `emit` to end the span on 'error' or
 * 'end' and to deliver its events in the caller's context. No listener is added, so an
 * 'error' nobody listens to still throws as without the agent.
 */
export function observeCommand(kit: InstrumentationKit, { cmd, call }: CommandCall): void {
  if (cmd === null || typeof cmd !== 'object' || typeof (cmd as Command).emit !== 'function') {
    call.end();
    return;
  }
  const wrapped = kit.wrap(cmd as Command, 'emit', (original) =>
    function emit(this: unknown, event: string | symbol, err?: unknown): boolean {
      if (event === 'error') call.end(err ?? new Error('query failed'));
      else if (event === 'end') call.end();
      return context.apply(call.parent, original, this, arguments) as boolean;
    },
  );
  if (!wrapped) call.end();
}
