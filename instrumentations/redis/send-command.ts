import { context } from '@opentelemetry/api';
import type { AnyFunction, InstrumentationKit } from '../../src/instrument';
import { commandSpec, hasParent } from './recipe';
import { commandParts, nodeRedisServer, type NodeRedisClient } from './server';
import { traceRedisCall } from './trace-call';

/** Recipe: span of one command line (`['SET', key, value]`), the same in node-redis 4.x and 6.x. */
export function commandLineSpec(client: NodeRedisClient, argv: readonly unknown[]) {
  return commandSpec(nodeRedisServer(client), commandParts(argv));
}

/** `RedisClient#sendCommand(argv)`: a span per command, only under a parent (no orphans). */
export function wrapSendCommand(kit: InstrumentationKit) {
  return (original: AnyFunction) =>
    function sendCommand(this: NodeRedisClient, ...args: unknown[]): unknown {
      const argv = args[0];
      if (!kit.active || !Array.isArray(argv)) return original.apply(this, args);
      const parent = context.active();
      if (!hasParent(parent)) return original.apply(this, args);
      const spec = kit.safe2(commandLineSpec, this, argv);
      return traceRedisCall(kit, spec, parent, () => original.apply(this, args));
    };
}
