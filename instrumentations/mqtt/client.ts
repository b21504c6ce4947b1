import type { MqttServer } from './recipe';

/** What we read of an `MqttClient`. */
export interface MqttClientLike {
  readonly options?: {
    readonly protocolVersion?: unknown;
    readonly host?: unknown;
    readonly hostname?: unknown;
    readonly port?: unknown;
  } | null;
}

const servers = new WeakMap<object, MqttServer>();
const UNKNOWN: MqttServer = { address: undefined, port: undefined };

/** The broker of a client, from its options (read once per options object). */
export function mqttServer(client: MqttClientLike): MqttServer {
  const options = client.options;
  if (options == null || typeof options !== 'object') return UNKNOWN;
  const cached = servers.get(options);
  if (cached !== undefined) return cached;
  const host = typeof options.hostname === 'string' ? options.hostname : options.host;
  const port = Number(options.port);
  const server: MqttServer = { address: typeof host === 'string' && host !== '' ? host : undefined, port: Number.isInteger(port) && port > 0 ? port : undefined };
  servers.set(options, server);
  return server;
}

/**
 * True when the client speaks MQTT 5, the first version with user properties. MQTT 3.1.1
 * (the default, `protocolVersion` 4) and 3.1 have no place in a message for anything but
 * topic and payload: their messages carry no trace context, and a receiver's span starts a
 * new trace.
 */
export function speaksMqtt5(client: MqttClientLike): boolean {
  return client.options?.protocolVersion === 5;
}

const NO_FILTERS: readonly string[] = [];
const FILTERS = new WeakMap<object, string[]>();

/** The topic filters the app subscribed `client` to (recorded by the subscribe wrapper). */
export function filtersOf(client: MqttClientLike): readonly string[] {
  return FILTERS.get(client) ?? NO_FILTERS;
}

/** The filters named by `subscribe`/`unsubscribe`'s first argument: one, a list, or a map. */
export function filterNames(arg: unknown): string[] {
  if (typeof arg === 'string') return [arg];
  if (Array.isArray(arg)) return arg.filter((f): f is string => typeof f === 'string');
  return arg !== null && typeof arg === 'object' ? Object.keys(arg) : [];
}

/**
 * Records `filters` as subscribed by `client`, at most `limit` of them (past that, spans
 * are named by topic: `subscriptionOf` gives up on a longer list anyway).
 */
export function addFilters(client: MqttClientLike, filters: readonly string[], limit: number): void {
  let list = FILTERS.get(client);
  if (list === undefined) FILTERS.set(client, (list = []));
  for (const f of filters) if (!list.includes(f) && list.length <= limit) list.push(f);
}

/** Forgets `filters` of `client`. */
export function removeFilters(client: MqttClientLike, filters: readonly string[]): void {
  const list = FILTERS.get(client);
  if (list === undefined) return;
  FILTERS.set(client, list.filter((f) => !filters.includes(f)));
}
