import {
  context,
  getSpan,
  isTracingSuppressed,
  startCall,
  traceCall,
  type AnyFunction,
  type InstrumentationKit,
  type MakeWrapper,
} from '../../src/instrument';
import { PG_OUTCOME, pgConnectSpec, type PgClientLike } from './recipe';

/**
 * Wraps `Client.prototype.connect` (callback and promise forms): a `pg.connect` span, so a
 * refused or slow connection, also one a pool opens for `pool.query`, shows in the trace.
 * Only under an active span: pools reconnecting in the background make no orphan spans.
 */
export function wrapClientConnect(kit: InstrumentationKit): MakeWrapper {
  return (original: AnyFunction) =>
    function connect(this: PgClientLike, callback?: unknown): unknown {
      const parent = context.active();
      if (!kit.active || getSpan(parent) === undefined || isTracingSuppressed(parent)) return original.apply(this, arguments as never);
      const spec = kit.safe(pgConnectSpec, this);
      if (spec === undefined) return original.apply(this, arguments as never);
      const args: unknown[] = Array.prototype.slice.call(arguments);
      return traceCall(startCall(kit, spec, parent, PG_OUTCOME), original, this, args, typeof callback === 'function' ? 0 : -1);
    };
}
