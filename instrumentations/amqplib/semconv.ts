/**
 * Messaging semantic-convention keys used by the amqplib instrumentation.
 * Kept here until the kit's `src/instrument/semconv.ts` carries the messaging keys.
 * https://opentelemetry.io/docs/specs/semconv/messaging/messaging-spans/
 * https://opentelemetry.io/docs/specs/semconv/messaging/rabbitmq/
 */

export const ATTR_MESSAGING_SYSTEM = 'messaging.system';
export const ATTR_MESSAGING_OPERATION_NAME = 'messaging.operation.name';
export const ATTR_MESSAGING_OPERATION_TYPE = 'messaging.operation.type';
export const ATTR_MESSAGING_DESTINATION_NAME = 'messaging.destination.name';
export const ATTR_MESSAGING_DESTINATION_ANONYMOUS = 'messaging.destination.anonymous';
export const ATTR_MESSAGING_MESSAGE_ID = 'messaging.message.id';
export const ATTR_MESSAGING_MESSAGE_CONVERSATION_ID = 'messaging.message.conversation_id';
export const ATTR_MESSAGING_MESSAGE_BODY_SIZE = 'messaging.message.body.size';
/**
 * The RabbitMQ routing key. The newest attribute registry spells it
 * `rabbitmq.destination.routing_key`; the messaging/RabbitMQ page and most backends still use this one.
 */
export const ATTR_MESSAGING_RABBITMQ_DESTINATION_ROUTING_KEY = 'messaging.rabbitmq.destination.routing_key';
export const ATTR_MESSAGING_RABBITMQ_MESSAGE_DELIVERY_TAG = 'messaging.rabbitmq.message.delivery_tag';

/** `messaging.system` of RabbitMQ. */
export const MESSAGING_SYSTEM_VALUE_RABBITMQ = 'rabbitmq';
/** `messaging.operation.type` values. */
export const MESSAGING_OPERATION_TYPE_VALUE_SEND = 'send';
export const MESSAGING_OPERATION_TYPE_VALUE_PROCESS = 'process';
/** `messaging.operation.name` values (the span name's first word). */
export const AMQP_OPERATION_PUBLISH = 'publish';
export const AMQP_OPERATION_PROCESS = 'process';
