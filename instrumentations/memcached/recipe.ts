import {
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_RESPONSE_STATUS_CODE,
  ATTR_DB_SYSTEM_NAME,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  SpanKind,
  splitHostPort,
  type Attributes,
  type CallOutcome,
  type SpanSpec,
} from '../../src/instrument';

/**
 * The memcached client's names, as OpenTelemetry's memcached instrumentation writes them
 * (experimental, not in the semantic conventions): the key(s) of a command, and its
 * expiration time in seconds. The stored value is never read.
 */
export const DB_SYSTEM_NAME_VALUE_MEMCACHED = 'memcached';
export const ATTR_DB_MEMCACHED_KEY = 'db.memcached.key';
export const ATTR_DB_MEMCACHED_LIFETIME = 'db.memcached.lifetime';

/** A multi-get's keys kept on its span, at most. */
export const MAX_KEYS = 32;
/** A key's characters kept: the server's limit (250 bytes); the client rejects longer keys, whose span still says which. */
export const MAX_KEY_LENGTH = 250;
/** The port the client connects to when a server is given without one. */
const DEFAULT_PORT = 11211;

/** What a command's compiler returns (memcached's `CommandData`): only these fields are read. */
export interface MemcachedQuery {
  readonly type?: unknown;
  readonly key?: unknown;
  readonly lifetime?: unknown;
  callback?: unknown;
}

/** What the recipe reads of the client: its servers, and the ring that picks one for a key. */
export interface MemcachedClientLike {
  readonly servers?: unknown;
  readonly HashRing?: { get?(key: string): unknown };
}

export interface CommandCall {
  readonly query: MemcachedQuery;
  readonly client: MemcachedClientLike;
  /** The server the caller named (`host:port`), undefined when the client picks it by key. */
  readonly server: unknown;
}

/**
 * Recipe: the CLIENT span of one memcached command, `memcached <command>` (`memcached get`),
 * with its key(s) and the server it goes to; the command line (which holds the value of a
 * `set`) is never read.
 */
export function memcachedCommandSpec({ query, client, server }: CommandCall): SpanSpec {
  const type = typeof query.type === 'string' && query.type.length > 0 ? query.type : undefined;
  const attributes: Attributes = { [ATTR_DB_SYSTEM_NAME]: DB_SYSTEM_NAME_VALUE_MEMCACHED };
  if (type !== undefined) attributes[ATTR_DB_OPERATION_NAME] = type;
  const key = query.key;
  if (typeof key === 'string') attributes[ATTR_DB_MEMCACHED_KEY] = bounded(key);
  else if (Array.isArray(key)) attributes[ATTR_DB_MEMCACHED_KEY] = key.slice(0, MAX_KEYS).map((k) => bounded(String(k)));
  if (typeof query.lifetime === 'number') attributes[ATTR_DB_MEMCACHED_LIFETIME] = query.lifetime;
  const where = serverOf(client, server, key);
  if (where !== undefined) {
    if (where.charCodeAt(0) === 47 /* / */) attributes[ATTR_SERVER_ADDRESS] = where; // a unix socket
    else {
      const { address, port } = splitHostPort(where);
      if (address.length > 0) attributes[ATTR_SERVER_ADDRESS] = address;
      attributes[ATTR_SERVER_PORT] = port ?? DEFAULT_PORT;
    }
  }
  return { name: type === undefined ? 'memcached' : 'memcached ' + type, kind: SpanKind.CLIENT, attributes };
}

/** The server a command goes to, as the client picks it: the one given, the only one, or the key's on the ring. */
function serverOf(client: MemcachedClientLike, server: unknown, key: unknown): string | undefined {
  if (typeof server === 'string') return server;
  const servers = client.servers;
  if (Array.isArray(servers) && servers.length === 1 && typeof servers[0] === 'string') return servers[0];
  if (typeof key !== 'string' || typeof client.HashRing?.get !== 'function') return undefined;
  const picked = client.HashRing.get(key);
  return typeof picked === 'string' ? picked : undefined;
}

function bounded(key: string): string {
  return key.length <= MAX_KEY_LENGTH ? key : key.slice(0, MAX_KEY_LENGTH);
}

/** `add` on a key that exists (the server's NOT_STORED) fails the app's callback: say so. */
function memcachedErrorAttributes(err: unknown): Attributes | undefined {
  if (err === null || typeof err !== 'object' || (err as { notStored?: unknown }).notStored !== true) return undefined;
  return { [ATTR_DB_RESPONSE_STATUS_CODE]: 'NOT_STORED' };
}

/** How a command's span reads a failure. */
export const MEMCACHED_OUTCOME: CallOutcome = { errorAttributes: memcachedErrorAttributes };
