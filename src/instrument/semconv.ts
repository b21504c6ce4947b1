/**
 * OpenTelemetry semantic-convention keys and values used by the instrumentations
 * (HTTP semconv v1.23+, stable). One place, so no attribute name is ever an inline string.
 * https://opentelemetry.io/docs/specs/semconv/http/http-spans/
 */

export const ATTR_HTTP_REQUEST_METHOD = 'http.request.method';
export const ATTR_HTTP_REQUEST_METHOD_ORIGINAL = 'http.request.method_original';
export const ATTR_HTTP_RESPONSE_STATUS_CODE = 'http.response.status_code';
export const ATTR_HTTP_ROUTE = 'http.route';
/** Prefix of captured request headers: `http.request.header.<lower-case name>`. */
export const ATTR_HTTP_REQUEST_HEADER_PREFIX = 'http.request.header.';
/** Prefix of captured response headers: `http.response.header.<lower-case name>`. */
export const ATTR_HTTP_RESPONSE_HEADER_PREFIX = 'http.response.header.';

export const ATTR_URL_FULL = 'url.full';
export const ATTR_URL_PATH = 'url.path';
export const ATTR_URL_QUERY = 'url.query';
export const ATTR_URL_SCHEME = 'url.scheme';

export const ATTR_SERVER_ADDRESS = 'server.address';
export const ATTR_SERVER_PORT = 'server.port';
export const ATTR_CLIENT_ADDRESS = 'client.address';
export const ATTR_NETWORK_PROTOCOL_VERSION = 'network.protocol.version';
export const ATTR_USER_AGENT_ORIGINAL = 'user_agent.original';

export const ATTR_ERROR_TYPE = 'error.type';

/** `http.request.method` value for methods outside the known set. */
export const HTTP_REQUEST_METHOD_OTHER = '_OTHER';
/** `error.type` when nothing more specific is known. */
export const ERROR_TYPE_OTHER = '_OTHER';
/** Value replacing secret-looking query parameter values and URL credentials. */
export const REDACTED = 'REDACTED';

// Database client spans (semconv v1.33+, stable).
// https://opentelemetry.io/docs/specs/semconv/database/database-spans/
export const ATTR_DB_SYSTEM_NAME = 'db.system.name';
export const ATTR_DB_NAMESPACE = 'db.namespace';
export const ATTR_DB_OPERATION_NAME = 'db.operation.name';
export const ATTR_DB_COLLECTION_NAME = 'db.collection.name';
export const ATTR_DB_QUERY_TEXT = 'db.query.text';
export const ATTR_DB_RESPONSE_STATUS_CODE = 'db.response.status_code';
/** Number of operations in a batch (semconv: only for two or more). */
export const ATTR_DB_OPERATION_BATCH_SIZE = 'db.operation.batch.size';

// Messaging spans.
// https://opentelemetry.io/docs/specs/semconv/messaging/messaging-spans/
// https://opentelemetry.io/docs/specs/semconv/messaging/rabbitmq/
export const ATTR_MESSAGING_SYSTEM = 'messaging.system';
export const ATTR_MESSAGING_OPERATION_NAME = 'messaging.operation.name';
export const ATTR_MESSAGING_OPERATION_TYPE = 'messaging.operation.type';
export const ATTR_MESSAGING_DESTINATION_NAME = 'messaging.destination.name';
export const ATTR_MESSAGING_DESTINATION_ANONYMOUS = 'messaging.destination.anonymous';
export const ATTR_MESSAGING_DESTINATION_TEMPORARY = 'messaging.destination.temporary';
export const ATTR_MESSAGING_DESTINATION_SUBSCRIPTION_NAME = 'messaging.destination.subscription.name';
export const ATTR_MESSAGING_CONSUMER_GROUP_NAME = 'messaging.consumer.group.name';
export const ATTR_MESSAGING_MESSAGE_ID = 'messaging.message.id';
export const ATTR_MESSAGING_MESSAGE_CONVERSATION_ID = 'messaging.message.conversation_id';
export const ATTR_MESSAGING_MESSAGE_BODY_SIZE = 'messaging.message.body.size';
/** Messages in one batch operation (semconv: only on batch APIs, never on single-message ones). */
export const ATTR_MESSAGING_BATCH_MESSAGE_COUNT = 'messaging.batch.message_count';
/**
 * The RabbitMQ routing key. The newest attribute registry spells it
 * `rabbitmq.destination.routing_key`; the messaging/RabbitMQ page and most backends still use this one.
 */
export const ATTR_MESSAGING_RABBITMQ_DESTINATION_ROUTING_KEY = 'messaging.rabbitmq.destination.routing_key';
export const ATTR_MESSAGING_RABBITMQ_MESSAGE_DELIVERY_TAG = 'messaging.rabbitmq.message.delivery_tag';

// RPC spans (gRPC). Experimental: the names OpenTelemetry's gRPC instrumentation uses.
// https://opentelemetry.io/docs/specs/semconv/rpc/rpc-spans/
// https://opentelemetry.io/docs/specs/semconv/rpc/grpc/
export const ATTR_RPC_SYSTEM = 'rpc.system';
export const ATTR_RPC_SERVICE = 'rpc.service';
export const ATTR_RPC_METHOD = 'rpc.method';
export const ATTR_RPC_GRPC_STATUS_CODE = 'rpc.grpc.status_code';
export const RPC_SYSTEM_VALUE_GRPC = 'grpc';
