import type { AmqpServer } from './recipe';

/** What we read of an amqplib channel: its connection's socket. */
export interface AmqpChannel {
  readonly connection?: { readonly stream?: { readonly remoteAddress?: string; readonly remotePort?: number } };
}

const servers = new WeakMap<object, AmqpServer>();
const UNKNOWN: AmqpServer = { address: undefined, port: undefined };

/**
 * The broker of `channel`, read once per connection from its socket (the peer address:
 * amqplib keeps no host name, and no reverse lookup is made).
 */
export function amqpServer(channel: AmqpChannel): AmqpServer {
  const conn = channel.connection;
  if (conn == null || typeof conn !== 'object') return UNKNOWN;
  const cached = servers.get(conn);
  if (cached !== undefined) return cached;
  const address = conn.stream?.remoteAddress;
  if (typeof address !== 'string') return UNKNOWN; // not connected (yet, or any more): do not cache
  const port = conn.stream?.remotePort;
  const server: AmqpServer = { address, port: typeof port === 'number' ? port : undefined };
  servers.set(conn, server);
  return server;
}
