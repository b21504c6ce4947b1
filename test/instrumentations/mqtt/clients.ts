import { nodeRequire } from '../../helpers/tracing';

/* eslint-disable @typescript-eslint/no-explicit-any */
/** MQTT.js 4 (installed as mqtt4) and 5, loaded through Node's require after the hooks. */
export const MQTT_URL = 'mqtt://127.0.0.1:1883';

export interface MqttLib {
  readonly label: string;
  readonly id: string;
}

export const MQTT_LIBS: MqttLib[] = [
  { label: 'mqtt 4', id: 'mqtt4' },
  { label: 'mqtt 5', id: 'mqtt' },
];

/** A connected client of `lib` speaking `protocolVersion` (5, or 4 for MQTT 3.1.1). */
export function connectClient(lib: MqttLib, protocolVersion: 4 | 5): Promise<any> {
  const mqtt = nodeRequire(lib.id);
  const client = mqtt.connect(MQTT_URL, { protocolVersion, reconnectPeriod: 0 });
  return new Promise((resolve, reject) => {
    client.once('connect', () => resolve(client));
    client.once('error', reject);
  });
}

export function subscribe(client: any, filter: string): Promise<void> {
  return new Promise((resolve, reject) => client.subscribe(filter, { qos: 1 }, (err: unknown) => (err ? reject(err) : resolve())));
}

export function end(client: any): Promise<void> {
  return new Promise((resolve) => client.end(false, {}, () => resolve()));
}
