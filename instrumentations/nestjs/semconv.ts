/** The attributes of Nest's spans: the keys and values OpenTelemetry's NestJS instrumentation uses. */
export const ATTR_NESTJS_VERSION = 'nestjs.version';
export const ATTR_NESTJS_TYPE = 'nestjs.type';
export const ATTR_NESTJS_MODULE = 'nestjs.module';
export const ATTR_NESTJS_CONTROLLER = 'nestjs.controller';
export const ATTR_NESTJS_CALLBACK = 'nestjs.callback';

/** `NestFactory.create`: the app's start. */
export const NESTJS_TYPE_APP_CREATION = 'app_creation';
/** A route's whole pipeline: guards, interceptors, pipes and the handler. */
export const NESTJS_TYPE_REQUEST_CONTEXT = 'request_context';
/** The controller's method alone. */
export const NESTJS_TYPE_HANDLER = 'handler';

/** The name OpenTelemetry gives the app-creation span. */
export const APP_CREATION_SPAN_NAME = 'Create Nest App';
