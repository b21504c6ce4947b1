import {
  context,
  hasValidSpan,
  startCall,
  traceCall,
  type AnyFunction,
  type CallOutcome,
  type InstrumentationKit,
  type MakeWrapper,
  type SpanSpec,
} from '../../src/instrument';
import type { NodeRedisClient } from './server';

/** The span of one call of a list-taking client method, from the client and the call's arguments. */
export type ListCallRecipe = (client: NodeRedisClient, args: unknown[]) => SpanSpec | undefined;

/**
 * Wrapper of a node-redis client method whose first argument is a list (a command line, a
 * batch's queued commands): one span per call whose list is an array, only under a parent
 * (no orphans); `outcome` says what a failure or a result adds.
 */
export function wrapListCall(kit: InstrumentationKit, recipe: ListCallRecipe, outcome: CallOutcome): MakeWrapper {
  return (original: AnyFunction) =>
    function listCall(this: NodeRedisClient, ...args: unknown[]): unknown {
      if (!kit.active || !Array.isArray(args[0])) return original.apply(this, args);
      const parent = context.active();
      if (!hasValidSpan(parent)) return original.apply(this, args);
      const spec = kit.safe2(recipe, this, args);
      if (spec === undefined) return original.apply(this, args);
      return traceCall(startCall(kit, spec, parent, outcome), original, this, args);
    };
}
