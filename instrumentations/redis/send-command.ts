import { redisCommandSpec, REDIS_COMMAND_OUTCOME, type InstrumentationKit, type MakeWrapper } from '../../src/instrument';
import { commandParts, nodeRedisServer, type NodeRedisClient } from './server';
import { wrapListCall } from './trace-list-call';

/** Recipe: span of one command line (`['SET', key, value]`), the same in node-redis 4.x, 5.x and 6.x. */
export function commandLineSpec(client: NodeRedisClient, argv: readonly unknown[]) {
  return redisCommandSpec(nodeRedisServer(client), commandParts(argv));
}

/** `RedisClient#sendCommand(argv)`: a span per command, only under a parent (no orphans). */
export function wrapSendCommand(kit: InstrumentationKit): MakeWrapper {
  return wrapListCall(kit, (client, args) => commandLineSpec(client, args[0] as unknown[]), REDIS_COMMAND_OUTCOME);
}
