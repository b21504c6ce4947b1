/**
 * MQTT values of the messaging conventions. MQTT has no page of its own in the conventions
 * and `mqtt` is not among the well-known `messaging.system` values; the conventions allow a
 * system's own lower-case name.
 * https://opentelemetry.io/docs/specs/semconv/messaging/messaging-spans/
 */

/** `messaging.system` of MQTT. */
export const MESSAGING_SYSTEM_VALUE_MQTT = 'mqtt';
/** `messaging.operation.type` values. */
export const OPERATION_TYPE_SEND = 'send';
export const OPERATION_TYPE_PROCESS = 'process';
/** `messaging.operation.name` values (the span name's first word). */
export const OPERATION_PUBLISH = 'publish';
export const OPERATION_PROCESS = 'process';
