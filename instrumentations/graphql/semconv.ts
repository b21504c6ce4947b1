/**
 * GraphQL server spans (semantic conventions: development status), and for what those leave
 * open the names OpenTelemetry's graphql instrumentation uses.
 * https://opentelemetry.io/docs/specs/semconv/graphql/graphql-spans/
 */
export const ATTR_GRAPHQL_OPERATION_TYPE = 'graphql.operation.type';
export const ATTR_GRAPHQL_OPERATION_NAME = 'graphql.operation.name';
/** The document, literals replaced by `?` (the convention allows, and asks for, sanitizing). */
export const ATTR_GRAPHQL_DOCUMENT = 'graphql.document';

// Resolver spans (opt-in), as OpenTelemetry's instrumentation names them.
export const ATTR_GRAPHQL_FIELD_NAME = 'graphql.field.name';
export const ATTR_GRAPHQL_FIELD_PATH = 'graphql.field.path';
export const ATTR_GRAPHQL_FIELD_TYPE = 'graphql.field.type';

/** The operation span's name when its type is not known (the convention's fallback). */
export const SPAN_OPERATION_UNKNOWN = 'GraphQL Operation';
/** Spans of a parse or a validation that failed (OpenTelemetry's names). */
export const SPAN_PARSE = 'graphql.parse';
export const SPAN_VALIDATE = 'graphql.validate';
/** Prefix of a resolver span's name: `graphql.resolve users.*.posts`. */
export const SPAN_RESOLVE_PREFIX = 'graphql.resolve ';
