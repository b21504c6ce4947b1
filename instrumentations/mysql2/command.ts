import type { Context } from '@opentelemetry/api';
import { context } from '../../src/api-globals';
import type { InstrumentationKit } from '../../src/instrument';
import type { DriverCallback, SqlSpanEnder } from '../../src/instrument/db';

/** A mysql2 command (Query, Execute): an EventEmitter that ends with 'end', after 'error' if it failed. */
export interface Command {
  emit(event: string | symbol, ...args: unknown[]): boolean;
  onResult?: DriverCallback;
}

export interface CommandCall {
  readonly cmd: unknown;
  readonly parent: Context;
  readonly end: SqlSpanEnder;
}

/**
 * Streaming form (no callback): wrap this command's `emit` to end the span on 'error' or
 * 'end' and to deliver its events in the caller's context. No listener is added, so an
 * 'error' nobody listens to still throws as without the agent.
 */
export function observeCommand(kit: InstrumentationKit, { cmd, parent, end }: CommandCall): void {
  if (cmd === null || typeof cmd !== 'object' || typeof (cmd as Command).emit !== 'function') {
    end(undefined);
    return;
  }
  const wrapped = kit.wrap(cmd as Command, 'emit', (original) =>
    function emit(this: unknown, event: string | symbol, ...rest: unknown[]): boolean {
      if (event === 'error') end(rest[0] ?? new Error('query failed'));
      else if (event === 'end') end(undefined);
      return context.with(parent, () => original.call(this, event, ...rest));
    },
  );
  if (!wrapped) end(undefined);
}
