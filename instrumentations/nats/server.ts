import type { NatsServer } from './recipe';

/** What we read of a connection's protocol handler: the server it is connected to. */
export interface NatsProtocol {
  readonly server?: { readonly hostname?: unknown; readonly port?: unknown } | null;
  readonly info?: { readonly headers?: unknown } | null;
}

const servers = new WeakMap<object, NatsServer>();
const UNKNOWN: NatsServer = { address: undefined, port: undefined };

/**
 * The server of a protocol handler, read once per server entry (a reconnect to another
 * server changes the entry, so the next span shows the new one).
 */
export function natsServer(protocol: NatsProtocol | null | undefined): NatsServer {
  const server = protocol?.server;
  if (server == null || typeof server !== 'object') return UNKNOWN;
  const cached = servers.get(server);
  if (cached !== undefined) return cached;
  const port = Number(server.port);
  const found: NatsServer = {
    address: typeof server.hostname === 'string' ? server.hostname : undefined,
    port: Number.isInteger(port) && port > 0 ? port : undefined,
  };
  servers.set(server, found);
  return found;
}
