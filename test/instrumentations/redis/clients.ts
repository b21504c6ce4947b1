import { testedPackages } from '../../helpers/registry';
import { nodeRequire } from '../../helpers/tracing';

/** The node-redis surface the tests use, common to 4.x, 5.x and 6.x. */
export interface NodeRedis {
  connect(): Promise<unknown>;
  on(event: string, fn: (...args: unknown[]) => void): unknown;
  once(event: string, fn: (...args: unknown[]) => void): unknown;
  sendCommand(argv: string[]): Promise<unknown>;
  multi(): NodeRedisMulti;
  set(k: string, v: string, opts?: object): Promise<unknown>;
  get(k: string): Promise<unknown>;
  del(k: string | string[]): Promise<unknown>;
  keys(pattern: string): Promise<string[]>;
  incr(k: string): Promise<unknown>;
  hSet(k: string, v: Record<string, string>): Promise<unknown>;
  mSet(pairs: Array<[string, string]>): Promise<unknown>;
  lPush(k: string, v: string): Promise<unknown>;
  publish(channel: string, message: string): Promise<unknown>;
  subscribe(channel: string, listener: (message: string, channel: string) => void): Promise<unknown>;
  unsubscribe(channel?: string): Promise<unknown>;
  eval(script: string, opts: { keys: string[]; arguments: string[] }): Promise<unknown>;
  clientId(): Promise<number>;
  clientKill(filter: object): Promise<unknown>;
  disconnect(): Promise<unknown>;
  destroy?(): void;
}

/** A MULTI builder (chainable), common to 4.x, 5.x and 6.x. */
export interface NodeRedisMulti {
  set(k: string, v: string): NodeRedisMulti;
  get(k: string): NodeRedisMulti;
  incr(k: string): NodeRedisMulti;
  exec(): Promise<unknown[]>;
  execAsPipeline(): Promise<unknown[]>;
}

type CreateClient = (options?: object) => NodeRedis;

/** The majors the registry entry is tested with (node-redis 4.x as `redis4` on @redis/client 1.x, 5.x as `redis5`, and 6.x), by installed name. */
export function nodeRedisMajors(): Array<[string, CreateClient]> {
  return testedPackages('redis').map(({ id }) => [id, (nodeRequire(id) as { createClient: CreateClient }).createClient]);
}

/** Closes a client on either major. */
export async function closeClient(client: NodeRedis): Promise<void> {
  try {
    await client.disconnect();
  } catch {
    // already closed
  }
}
