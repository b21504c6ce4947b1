import type { RedisCommandParts, RedisServer } from '../../src/instrument';

/** The client options node-redis (4.x, 5.x and 6.x) keeps after parsing a `url`. */
export interface NodeRedisOptions {
  socket?: { host?: string; port?: number; path?: string };
  database?: number;
}

/** What we read of a node-redis client: its options (a getter on both majors). */
export interface NodeRedisClient {
  readonly options?: NodeRedisOptions;
}

/** Where a node-redis client sends its commands (the configured database, not later SELECTs). */
export function nodeRedisServer(client: NodeRedisClient): RedisServer {
  const o = client.options ?? {};
  const s = o.socket ?? {};
  const db = typeof o.database === 'number' ? o.database : 0;
  if (typeof s.path === 'string' && s.path.length > 0) return { address: s.path, port: undefined, db };
  return { address: s.host ?? 'localhost', port: s.port ?? 6379, db };
}

/** A command line (`['SET', 'k', 'v']`) as name plus arguments. */
export function commandParts(argv: readonly unknown[]): RedisCommandParts {
  return { name: String(argv[0] ?? ''), args: argv.slice(1) };
}
