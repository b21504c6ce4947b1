import {
  redisBatchSpec,
  REDIS_BATCH_MULTI,
  REDIS_BATCH_OUTCOME,
  REDIS_BATCH_PIPELINE,
  wrapDetached,
  type InstrumentationKit,
  type Methods,
  type RedisBatchMode,
} from '../../src/instrument';
import { commandParts, nodeRedisServer, type NodeRedisClient } from './server';
import { wrapSendCommand } from './send-command';
import { wrapListCall } from './trace-list-call';

/**
 * node-redis 5.x and 6.x (`@redis/client` 5 and 6, `dist/lib/client/index.js`; the file keeps
 * its name from the major it was written for): every typed command ends in
 * `RedisClient#sendCommand(argv)`; `_executePipeline` and `_executeMulti` queue their commands
 * below it, so each batch is one span. Handshake commands (HELLO, AUTH, SELECT, CLIENT
 * SETINFO) bypass `sendCommand` and are never traced.
 */

/** One queued command of a batch. */
interface BatchCommand {
  args: readonly unknown[];
}

/** Recipe: span of a batch. */
export function v6BatchSpec(client: NodeRedisClient, mode: RedisBatchMode, commands: readonly BatchCommand[]) {
  return redisBatchSpec(nodeRedisServer(client), mode, commands.map((c) => commandParts(c.args)));
}

function wrapBatch(kit: InstrumentationKit, mode: RedisBatchMode) {
  return wrapListCall(kit, (client, args) => v6BatchSpec(client, mode, args[0] as BatchCommand[]), REDIS_BATCH_OUTCOME);
}

/** True when `proto` has the 5.x/6.x shape. */
export function isV6Client(proto: Record<string, unknown>): boolean {
  return typeof proto._executePipeline === 'function' && typeof proto._executeMulti === 'function';
}

/** Wraps the 5.x/6.x RedisClient prototype. */
export function patchV6Client(proto: Methods, kit: InstrumentationKit): void {
  kit.wrap(proto, 'sendCommand', wrapSendCommand(kit));
  kit.wrap(proto, '_executePipeline', wrapBatch(kit, REDIS_BATCH_PIPELINE));
  kit.wrap(proto, '_executeMulti', wrapBatch(kit, REDIS_BATCH_MULTI));
  kit.wrap(proto, 'connect', wrapDetached(kit));
}

/** Undoes `patchV6Client`. */
export function unpatchV6Client(proto: Methods, kit: InstrumentationKit): void {
  for (const key of ['sendCommand', '_executePipeline', '_executeMulti', 'connect']) kit.unwrap(proto, key);
}
