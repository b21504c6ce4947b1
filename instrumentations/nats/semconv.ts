/**
 * NATS values of the messaging conventions. `nats` is not among the well-known
 * `messaging.system` values; the conventions allow a system's own lower-case name.
 * https://opentelemetry.io/docs/specs/semconv/messaging/messaging-spans/
 */

/** `messaging.system` of NATS (core and JetStream). */
export const MESSAGING_SYSTEM_VALUE_NATS = 'nats';
/** `messaging.operation.type` values. */
export const OPERATION_TYPE_SEND = 'send';
export const OPERATION_TYPE_PROCESS = 'process';
/** `messaging.operation.name` values (the span name's first word). */
export const OPERATION_PUBLISH = 'publish';
export const OPERATION_REQUEST = 'request';
export const OPERATION_PROCESS = 'process';
