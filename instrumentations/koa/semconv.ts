/** Attributes of the opt-in middleware spans: the keys and values OpenTelemetry's koa instrumentation uses. */
export const ATTR_KOA_TYPE = 'koa.type';
export const ATTR_KOA_NAME = 'koa.name';
export const KOA_TYPE_MIDDLEWARE = 'middleware';
export const KOA_TYPE_ROUTER = 'router';
