import {
  context,
  hasValidSpan,
  redisBatchSpec,
  REDIS_BATCH_MULTI,
  REDIS_BATCH_OUTCOME,
  REDIS_BATCH_PIPELINE,
  REDIS_COMMAND_OUTCOME,
  startCall,
  traceCall,
  wrapDetached,
  wrapFunction,
  type AnyFunction,
  type InstrumentationKit,
  type Methods,
} from '../../src/instrument';
import { commandParts, nodeRedisServer, type NodeRedisClient } from './server';
import { commandLineSpec, wrapSendCommand } from './send-command';
import { wrapListCall } from './trace-list-call';

/**
 * node-redis 4.x (`@redis/client` 1.x). Typed commands are attached to the client prototype
 * by `commander.attachCommands` with the executor captured at attach time, so the executor
 * is wrapped there (`dist/lib/commander.js`, hooked before `client/index.js` runs it);
 * `sendCommand` (raw), `multiExecutor` (MULTI and pipelines) and `connect` are wrapped on
 * the prototype. Handshake commands and pings use the private queue and are never traced.
 */

/** `commander.transformCommandArguments`: the command line a typed command sends. */
type TransformArguments = (command: unknown, args: unknown[]) => { args: unknown[] };

/** One queued command of a batch. */
interface BatchCommand {
  args: readonly unknown[];
}

/** The argument of `attachCommands` / `attachExtensions` we look at. */
interface AttachConfig {
  BaseClass?: { prototype?: Record<string, unknown> };
  executor?: AnyFunction;
  modulesExecutor?: AnyFunction;
}

/** Recipe: span of `multiExecutor(commands, selectedDB, chainId)`: MULTI with a chain id, else a pipeline. */
export function v1BatchSpec(a: { client: NodeRedisClient; commands: readonly BatchCommand[]; multi: boolean }) {
  const mode = a.multi ? REDIS_BATCH_MULTI : REDIS_BATCH_PIPELINE;
  return redisBatchSpec(nodeRedisServer(a.client), mode, a.commands.map((c) => commandParts(c.args)));
}

/** A client class (not a MULTI builder or a cluster): it has the batch executor. */
function isClientClass(config: AttachConfig): boolean {
  return typeof config.BaseClass?.prototype?.multiExecutor === 'function';
}

/** Wraps a typed-command executor `(command, args, name)`. */
function tracedExecutor(kit: InstrumentationKit, executor: AnyFunction, transform: TransformArguments): AnyFunction {
  const argvOf = (a: { command: unknown; args: unknown[] }) => transform(a.command, a.args).args;
  return (
    wrapFunction(executor, (original) =>
      function commandsExecutor(this: NodeRedisClient, ...args: unknown[]): unknown {
        if (!kit.active || !Array.isArray(args[1])) return original.apply(this, args);
        const parent = context.active();
        if (!hasValidSpan(parent)) return original.apply(this, args);
        // The same pure transformation the executor makes; when the user's arguments make it
        // throw, the executor throws the same error: no span, and the error stays the host's.
        let argv: unknown[];
        try {
          argv = argvOf({ command: args[0], args: args[1] as unknown[] });
        } catch {
          return original.apply(this, args);
        }
        const spec = kit.safe2(commandLineSpec, this, argv);
        if (spec === undefined) return original.apply(this, args);
        return traceCall(startCall(kit, spec, parent, REDIS_COMMAND_OUTCOME), original, this, args);
      },
    ) ?? executor
  );
}

/** Patches `commander.js`: executors handed to client classes get traced. */
export function patchV1Commander(commander: Methods, kit: InstrumentationKit): void {
  const transform = commander.transformCommandArguments as TransformArguments | undefined;
  if (typeof transform !== 'function') throw new Error('@redis/client commander: transformCommandArguments not found');
  kit.wrap(commander, 'attachCommands', (original) =>
    function attachCommands(this: unknown, config: AttachConfig, ...rest: unknown[]): unknown {
      if (kit.active && config != null && typeof config.executor === 'function' && isClientClass(config)) {
        config = { ...config, executor: tracedExecutor(kit, config.executor, transform) };
      }
      return original.call(this, config, ...rest);
    },
  );
  kit.wrap(commander, 'attachExtensions', (original) =>
    function attachExtensions(this: unknown, config: AttachConfig, ...rest: unknown[]): unknown {
      if (kit.active && config != null && typeof config.modulesExecutor === 'function' && isClientClass(config)) {
        config = { ...config, modulesExecutor: tracedExecutor(kit, config.modulesExecutor, transform) };
      }
      return original.call(this, config, ...rest);
    },
  );
}

/** Undoes `patchV1Commander` (classes attached meanwhile keep their traced executors). */
export function unpatchV1Commander(commander: Methods, kit: InstrumentationKit): void {
  kit.unwrap(commander, 'attachCommands');
  kit.unwrap(commander, 'attachExtensions');
}

function wrapMultiExecutor(kit: InstrumentationKit) {
  return wrapListCall(
    kit,
    (client, args) => v1BatchSpec({ client, commands: args[0] as BatchCommand[], multi: args[2] !== undefined }),
    REDIS_BATCH_OUTCOME,
  );
}

/** True when `proto` has the 1.x shape. */
export function isV1Client(proto: Record<string, unknown>): boolean {
  return typeof proto.multiExecutor === 'function' && typeof proto.commandsExecutor === 'function';
}

/** Wraps the 1.x RedisClient prototype. */
export function patchV1Client(proto: Methods, kit: InstrumentationKit): void {
  kit.wrap(proto, 'sendCommand', wrapSendCommand(kit));
  kit.wrap(proto, 'multiExecutor', wrapMultiExecutor(kit));
  kit.wrap(proto, 'connect', wrapDetached(kit));
}

/** Undoes `patchV1Client`. */
export function unpatchV1Client(proto: Methods, kit: InstrumentationKit): void {
  for (const key of ['sendCommand', 'multiExecutor', 'connect']) kit.unwrap(proto, key);
}
