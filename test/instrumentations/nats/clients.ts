import { nodeRequire } from '../../helpers/tracing';

/**
 * The two client generations under one shape: `nats` 2 (everything in one package) and
 * the 3.x packages (`@nats-io/transport-node` for the connection, `@nats-io/jetstream`).
 * Loaded through Node's require, after the hooks are installed, so the hooks see them.
 */
export const NATS_URL = '127.0.0.1:4222';

/* eslint-disable @typescript-eslint/no-explicit-any */
export interface NatsClient {
  readonly label: string;
  connect(): Promise<any>;
  headers(): any;
  jetstream(nc: any): any;
  jetstreamManager(nc: any): Promise<any>;
}

export function natsClients(): NatsClient[] {
  return [
    {
      label: 'nats 2',
      connect: () => nodeRequire('nats').connect({ servers: NATS_URL }),
      headers: () => nodeRequire('nats').headers(),
      jetstream: (nc) => nc.jetstream(),
      jetstreamManager: (nc) => nc.jetstreamManager(),
    },
    {
      label: '@nats-io/transport-node 3',
      connect: () => nodeRequire('@nats-io/transport-node').connect({ servers: NATS_URL }),
      headers: () => nodeRequire('@nats-io/transport-node').headers(),
      jetstream: (nc) => nodeRequire('@nats-io/jetstream').jetstream(nc),
      jetstreamManager: (nc) => nodeRequire('@nats-io/jetstream').jetstreamManager(nc),
    },
  ];
}

export const text = (data: Uint8Array): string => new TextDecoder().decode(data);
