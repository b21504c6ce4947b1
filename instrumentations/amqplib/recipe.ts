import {
  SpanKind,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_MESSAGING_DESTINATION_ANONYMOUS,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_MESSAGE_BODY_SIZE,
  ATTR_MESSAGING_MESSAGE_CONVERSATION_ID,
  ATTR_MESSAGING_MESSAGE_ID,
  ATTR_MESSAGING_OPERATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_RABBITMQ_DESTINATION_ROUTING_KEY,
  ATTR_MESSAGING_RABBITMQ_MESSAGE_DELIVERY_TAG,
  ATTR_MESSAGING_SYSTEM,
  type Attributes,
  type SpanSpec,
} from '../../src/instrument';
import {
  AMQP_OPERATION_PROCESS,
  AMQP_OPERATION_PUBLISH,
  MESSAGING_OPERATION_TYPE_VALUE_PROCESS,
  MESSAGING_OPERATION_TYPE_VALUE_SEND,
  MESSAGING_SYSTEM_VALUE_RABBITMQ,
} from './semconv';

/**
 * Pure recipes of the amqplib instrumentation: what a publish and a delivery become as spans.
 * RabbitMQ semconv: `messaging.destination.name` is the exchange (empty for the default
 * exchange); the span name is `<operation> <destination>`, where the destination shown is the
 * exchange, or the routing key (the queue) for the default exchange.
 */

/** The broker a channel talks to. */
export interface AmqpServer {
  readonly address: string | undefined;
  readonly port: number | undefined;
}

/** The message properties we read (publish options or a delivered message's properties). */
export interface AmqpProperties {
  readonly messageId?: unknown;
  readonly correlationId?: unknown;
  readonly headers?: unknown;
}

/** What `publish(exchange, routingKey, content, options)` was called with. */
export interface PublishCall {
  readonly server: AmqpServer;
  readonly exchange: unknown;
  readonly routingKey: unknown;
  readonly content: unknown;
  readonly options: AmqpProperties | undefined;
}

/** A delivered message, as amqplib hands it to a consumer. */
export interface AmqpMessage {
  readonly content?: unknown;
  readonly fields?: { readonly exchange?: unknown; readonly routingKey?: unknown; readonly deliveryTag?: unknown };
  readonly properties?: AmqpProperties;
}

// Server-named queues (`amq.gen-…`) and direct reply-to suffixes are unique per consumer:
// never span-name material (semconv: use a static fallback for such destinations).
const GENERATED_QUEUE = 'amq.gen-';
const DIRECT_REPLY_TO = 'amq.rabbitmq.reply-to';

/** The destination part of a span name: exchange, else routing key, low-cardinality. */
export function destinationLabel(exchange: string, routingKey: string): string {
  const name = exchange !== '' ? exchange : routingKey;
  if (name === '') return '(default)';
  if (name.startsWith(GENERATED_QUEUE)) return '(anonymous)';
  if (name.startsWith(DIRECT_REPLY_TO)) return DIRECT_REPLY_TO;
  return name;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}

function commonAttributes(server: AmqpServer, exchange: string, routingKey: string, props: AmqpProperties | undefined): Attributes {
  const attrs: Attributes = {
    [ATTR_MESSAGING_SYSTEM]: MESSAGING_SYSTEM_VALUE_RABBITMQ,
    [ATTR_MESSAGING_DESTINATION_NAME]: exchange,
  };
  if (routingKey !== '') attrs[ATTR_MESSAGING_RABBITMQ_DESTINATION_ROUTING_KEY] = routingKey;
  if ((exchange || routingKey).startsWith(GENERATED_QUEUE)) attrs[ATTR_MESSAGING_DESTINATION_ANONYMOUS] = true;
  const id = props?.messageId;
  if (typeof id === 'string' || typeof id === 'number') attrs[ATTR_MESSAGING_MESSAGE_ID] = String(id);
  const conversation = props?.correlationId;
  if (typeof conversation === 'string' || typeof conversation === 'number') attrs[ATTR_MESSAGING_MESSAGE_CONVERSATION_ID] = String(conversation);
  if (server.address !== undefined) attrs[ATTR_SERVER_ADDRESS] = server.address;
  if (server.port !== undefined) attrs[ATTR_SERVER_PORT] = server.port;
  return attrs;
}

/** PRODUCER span of a publish / sendToQueue. */
export function publishSpec(call: PublishCall): SpanSpec {
  const exchange = str(call.exchange);
  const routingKey = str(call.routingKey);
  const attributes = commonAttributes(call.server, exchange, routingKey, call.options);
  attributes[ATTR_MESSAGING_OPERATION_NAME] = AMQP_OPERATION_PUBLISH;
  attributes[ATTR_MESSAGING_OPERATION_TYPE] = MESSAGING_OPERATION_TYPE_VALUE_SEND;
  if (Buffer.isBuffer(call.content)) attributes[ATTR_MESSAGING_MESSAGE_BODY_SIZE] = call.content.length;
  return { name: `${AMQP_OPERATION_PUBLISH} ${destinationLabel(exchange, routingKey)}`, kind: SpanKind.PRODUCER, attributes };
}

/** CONSUMER span of one delivery processed by a `consume` callback. */
export function processSpec(a: { server: AmqpServer; message: AmqpMessage }): SpanSpec {
  const { message } = a;
  const exchange = str(message.fields?.exchange);
  const routingKey = str(message.fields?.routingKey);
  const attributes = commonAttributes(a.server, exchange, routingKey, message.properties);
  attributes[ATTR_MESSAGING_OPERATION_NAME] = AMQP_OPERATION_PROCESS;
  attributes[ATTR_MESSAGING_OPERATION_TYPE] = MESSAGING_OPERATION_TYPE_VALUE_PROCESS;
  if (Buffer.isBuffer(message.content)) attributes[ATTR_MESSAGING_MESSAGE_BODY_SIZE] = message.content.length;
  const tag = message.fields?.deliveryTag;
  if (typeof tag === 'number') attributes[ATTR_MESSAGING_RABBITMQ_MESSAGE_DELIVERY_TAG] = tag;
  return { name: `${AMQP_OPERATION_PROCESS} ${destinationLabel(exchange, routingKey)}`, kind: SpanKind.CONSUMER, attributes };
}
