/**
 * RabbitMQ values used by the amqplib instrumentation; the messaging keys live with the
 * kit's, in `src/instrument/semconv.ts` (re-exported here for this instrumentation).
 * https://opentelemetry.io/docs/specs/semconv/messaging/rabbitmq/
 */
export {
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
} from '../../src/instrument/semconv';

/** `messaging.system` of RabbitMQ. */
export const MESSAGING_SYSTEM_VALUE_RABBITMQ = 'rabbitmq';
/** `messaging.operation.type` values. */
export const MESSAGING_OPERATION_TYPE_VALUE_SEND = 'send';
export const MESSAGING_OPERATION_TYPE_VALUE_PROCESS = 'process';
/** `messaging.operation.name` values (the span name's first word). */
export const AMQP_OPERATION_PUBLISH = 'publish';
export const AMQP_OPERATION_PROCESS = 'process';
