/**
 * RabbitMQ values used by the amqplib instrumentation; the messaging keys live with the
 * kit's, in `src/instrument/semconv.ts`.
 * https://opentelemetry.io/docs/specs/semconv/messaging/rabbitmq/
 */

/** `messaging.system` of RabbitMQ. */
export const MESSAGING_SYSTEM_VALUE_RABBITMQ = 'rabbitmq';
/** `messaging.operation.type` values. */
export const MESSAGING_OPERATION_TYPE_VALUE_SEND = 'send';
export const MESSAGING_OPERATION_TYPE_VALUE_PROCESS = 'process';
/** `messaging.operation.name` values (the span name's first word). */
export const AMQP_OPERATION_PUBLISH = 'publish';
export const AMQP_OPERATION_PROCESS = 'process';
