import {
  context,
  endOnSettle,
  hasValidSpan,
  ownerOf,
  redisBatchSpec,
  redisCommandSpec,
  REDIS_BATCH_MULTI,
  REDIS_BATCH_OUTCOME,
  REDIS_BATCH_PIPELINE,
  REDIS_COMMAND_OUTCOME,
  startCall,
  traceCall,
  wrapDetached,
  type AnyFunction,
  type Instrumentation,
  type InstrumentationKit,
  type ModuleTarget,
  type RedisCommandParts,
  type RedisServer,
} from '../../src/instrument';

/**
 * ioredis 5.x and 6.x: a CLIENT span per command (`Redis#sendCommand`), one span per
 * pipeline or MULTI/EXEC (`Pipeline#exec`), only under an active parent span.
 * Targets: the main module (the Redis class) and `built/Pipeline.js`.
 */

/** Marks a Command or Pipeline that already has its span (ioredis resends commands on reconnect). */
const TRACED = Symbol('waymark.ioredis.traced');

/** What we read of an ioredis Command. */
interface IoCommand {
  name: string;
  args: unknown[];
  promise?: unknown;
  [TRACED]?: true;
}

/** What we read of a Redis (or Cluster) instance. */
interface IoClient {
  options?: { host?: string; port?: number; path?: string; db?: number };
  condition?: { select?: number } | null;
  isCluster?: boolean;
}

/** Caches whether a Pipeline is one ioredis made for auto-pipelining. */
const AUTO = Symbol('waymark.ioredis.auto');

/** What we read of a Pipeline. */
interface IoPipeline {
  redis: IoClient;
  _queue: IoCommand[];
  _transactions?: number;
  [TRACED]?: true;
  [AUTO]?: boolean;
}

/** Target file of the Pipeline class. */
export const PIPELINE_FILE = 'built/Pipeline.js';

function serverOf(client: IoClient): RedisServer {
  if (client.isCluster === true) return { address: undefined, port: undefined, db: undefined };
  const o = client.options ?? {};
  if (typeof o.path === 'string' && o.path.length > 0) return { address: o.path, port: undefined, db: client.condition?.select ?? o.db };
  return { address: o.host ?? 'localhost', port: o.port ?? 6379, db: client.condition?.select ?? o.db ?? 0 };
}

/** Recipe: span of one command. */
export function ioCommandSpec(client: IoClient, command: IoCommand) {
  return redisCommandSpec(serverOf(client), { name: command.name, args: command.args });
}

/** Recipe: span of a pipeline, or of a MULTI/EXEC when the queue starts with MULTI. */
export function ioBatchSpec(pipeline: IoPipeline) {
  const queue = pipeline._queue;
  const multi = queue.length > 0 && queue[0].name === 'multi';
  const commands: RedisCommandParts[] = [];
  for (const c of queue) {
    if (multi && (c.name === 'multi' || c.name === 'exec')) continue;
    commands.push({ name: c.name, args: c.args });
  }
  return redisBatchSpec(serverOf(pipeline.redis), multi ? REDIS_BATCH_MULTI : REDIS_BATCH_PIPELINE, commands);
}

/**
 * True for the pipelines ioredis builds itself with `enableAutoPipelining` (they carry its
 * `callbacks` symbol): their commands come from unrelated callers, so each command gets its
 * own span in its caller's context and the pipeline none.
 */
export function isAutoPipeline(pipeline: IoPipeline): boolean {
  let auto = pipeline[AUTO];
  if (auto === undefined) {
    auto = Object.getOwnPropertySymbols(pipeline).some((s) => s.description === 'callbacks');
    pipeline[AUTO] = auto;
  }
  return auto;
}

function wrapSendCommand(kit: InstrumentationKit) {
  return (original: AnyFunction) =>
    function sendCommand(this: IoClient, ...args: unknown[]): unknown {
      const command = args[0] as IoCommand | undefined;
      const stream = args[1] as { isPipeline?: boolean } | undefined;
      // Commands written for a pipeline belong to its span; resent commands already have one.
      if (!kit.active || command == null || command[TRACED] === true || stream?.isPipeline === true) {
        return original.apply(this, args);
      }
      const parent = context.active();
      if (!hasValidSpan(parent)) return original.apply(this, args);
      command[TRACED] = true;
      const spec = kit.safe2(ioCommandSpec, this, command);
      if (spec === undefined) return original.apply(this, args);
      return traceCall(startCall(kit, spec, parent, REDIS_COMMAND_OUTCOME), original, this, args);
    };
}

/** Auto-pipelined commands: one span each, from the caller's context, like direct commands. */
function wrapPipelineSendCommand(kit: InstrumentationKit) {
  return (original: AnyFunction) =>
    function sendCommand(this: IoPipeline, ...args: unknown[]): unknown {
      const command = args[0] as IoCommand | undefined;
      if (!kit.active || command == null || command[TRACED] === true) return original.apply(this, args);
      const parent = context.active();
      if (!hasValidSpan(parent) || !isAutoPipeline(this)) return original.apply(this, args);
      command[TRACED] = true;
      const spec = kit.safe2(ioCommandSpec, this.redis, command);
      if (spec === undefined) return original.apply(this, args);
      endOnSettle(startCall(kit, spec, parent, REDIS_COMMAND_OUTCOME), command.promise);
      return original.apply(this, args);
    };
}

function wrapExec(kit: InstrumentationKit) {
  return (original: AnyFunction) =>
    function exec(this: IoPipeline, ...args: unknown[]): unknown {
      // With `_transactions > 0` this call only queues EXEC; a traced pipeline is being retried.
      if (!kit.active || this[TRACED] === true || (this._transactions ?? 0) > 0 || !Array.isArray(this._queue)) {
        return original.apply(this, args);
      }
      const parent = context.active();
      if (!hasValidSpan(parent) || isAutoPipeline(this)) return original.apply(this, args);
      this[TRACED] = true;
      const spec = kit.safe(ioBatchSpec, this);
      if (spec === undefined) return original.apply(this, args);
      return traceCall(startCall(kit, spec, parent, REDIS_BATCH_OUTCOME), original, this, args);
    };
}


/** Patches of ioredis: `Redis#sendCommand`, `Redis#connect`, `Pipeline#exec` and `Pipeline#sendCommand`. */
export const instrumentation: Instrumentation = {
  patch(moduleExports: unknown, target: ModuleTarget, kit: InstrumentationKit) {
    if (target.file === PIPELINE_FILE) {
      const proto = ownerOf((moduleExports as { default?: unknown }).default, 'exec');
      if (proto === undefined) throw new Error('ioredis Pipeline class not found');
      kit.wrap(proto, 'exec', wrapExec(kit));
      kit.wrap(proto, 'sendCommand', wrapPipelineSendCommand(kit));
      return;
    }
    // The main module's exports is the Redis class itself.
    const proto = ownerOf(moduleExports, 'sendCommand');
    if (proto === undefined) throw new Error('ioredis Redis class not found');
    kit.wrap(proto, 'sendCommand', wrapSendCommand(kit));
    kit.wrap(proto, 'connect', wrapDetached(kit));
  },
  unpatch(moduleExports: unknown, target: ModuleTarget, kit: InstrumentationKit) {
    if (target.file === PIPELINE_FILE) {
      const proto = ownerOf((moduleExports as { default?: unknown }).default, 'exec');
      if (proto !== undefined) {
        kit.unwrap(proto, 'exec');
        kit.unwrap(proto, 'sendCommand');
      }
      return;
    }
    const proto = ownerOf(moduleExports, 'sendCommand');
    if (proto === undefined) return;
    kit.unwrap(proto, 'sendCommand');
    kit.unwrap(proto, 'connect');
  },
};
