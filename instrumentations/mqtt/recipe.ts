import {
  SpanKind,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_DESTINATION_SUBSCRIPTION_NAME,
  ATTR_MESSAGING_MESSAGE_BODY_SIZE,
  ATTR_MESSAGING_OPERATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM,
  type Attributes,
  type SpanSpec,
} from '../../src/instrument';
import { MESSAGING_SYSTEM_VALUE_MQTT, OPERATION_PROCESS, OPERATION_PUBLISH, OPERATION_TYPE_PROCESS, OPERATION_TYPE_SEND } from './semconv';
import { subscriptionOf } from './topic-filter';

/**
 * Pure recipes of the mqtt instrumentation: `publish <topic>` (PRODUCER) and
 * `process <filter>` (CONSUMER), where the filter is the client's subscription the topic
 * matched (`sensors/+/temp`), else the topic itself. The packet identifier is not a message
 * id (it is reused once the exchange completes): not recorded.
 */

/** The broker a client talks to, from its options. */
export interface MqttServer {
  readonly address: string | undefined;
  readonly port: number | undefined;
}

/** What `publish(topic, message, opts)` was called with. */
export interface MqttPublish {
  readonly server: MqttServer;
  readonly topic: unknown;
  readonly message: unknown;
}

/** A received PUBLISH packet as the client emits it with `message`. */
export interface MqttDelivery {
  readonly server: MqttServer;
  readonly topic: unknown;
  readonly message: unknown;
  /** The client's subscribed filters. */
  readonly filters: readonly string[];
}

function sizeOf(data: unknown): number | undefined {
  if (data instanceof Uint8Array) return data.length;
  return typeof data === 'string' ? Buffer.byteLength(data) : undefined;
}

function attributes(server: MqttServer, topic: string, operation: string, type: string, data: unknown): Attributes {
  const attrs: Attributes = {
    [ATTR_MESSAGING_SYSTEM]: MESSAGING_SYSTEM_VALUE_MQTT,
    [ATTR_MESSAGING_DESTINATION_NAME]: topic,
    [ATTR_MESSAGING_OPERATION_NAME]: operation,
    [ATTR_MESSAGING_OPERATION_TYPE]: type,
  };
  const size = sizeOf(data);
  if (size !== undefined) attrs[ATTR_MESSAGING_MESSAGE_BODY_SIZE] = size;
  if (server.address !== undefined) attrs[ATTR_SERVER_ADDRESS] = server.address;
  if (server.port !== undefined) attrs[ATTR_SERVER_PORT] = server.port;
  return attrs;
}

const topicOf = (topic: unknown): string => (typeof topic === 'string' ? topic : Buffer.isBuffer(topic) ? topic.toString('utf8') : '');

/** PRODUCER span of `publish` (and `publishAsync`, which calls it). */
export function publishSpec(call: MqttPublish): SpanSpec {
  const topic = topicOf(call.topic);
  // An empty topic is an MQTT 5 topic alias: the topic is not in the call.
  const name = topic === '' ? OPERATION_PUBLISH : `${OPERATION_PUBLISH} ${topic}`;
  return { name, kind: SpanKind.PRODUCER, attributes: attributes(call.server, topic, OPERATION_PUBLISH, OPERATION_TYPE_SEND, call.message) };
}

/** CONSUMER span of one received message, around the client's `message` listeners. */
export function processSpec(d: MqttDelivery): SpanSpec {
  const topic = topicOf(d.topic);
  const attrs = attributes(d.server, topic, OPERATION_PROCESS, OPERATION_TYPE_PROCESS, d.message);
  const filter = subscriptionOf(d.filters, topic);
  if (filter !== undefined && filter !== topic) attrs[ATTR_MESSAGING_DESTINATION_SUBSCRIPTION_NAME] = filter;
  return { name: `${OPERATION_PROCESS} ${filter ?? topic}`, kind: SpanKind.CONSUMER, attributes: attrs };
}
