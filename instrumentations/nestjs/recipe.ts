import { ATTR_HTTP_ROUTE, type Attributes } from '../../src/instrument';
import {
  ATTR_NESTJS_CALLBACK,
  ATTR_NESTJS_CONTROLLER,
  ATTR_NESTJS_MODULE,
  ATTR_NESTJS_TYPE,
  ATTR_NESTJS_VERSION,
  NESTJS_TYPE_APP_CREATION,
  NESTJS_TYPE_HANDLER,
  NESTJS_TYPE_REQUEST_CONTEXT,
} from './semconv';

/** Names are class and method names: short, but bounded all the same. */
const NAME_MAX = 128;

/** One route of a controller, as the spans of its requests name it. */
export interface NestRoute {
  readonly version: string | undefined;
  /** `CatsController` */
  readonly controller: string;
  /** `findOne`, or undefined for an anonymous handler. */
  readonly callback: string | undefined;
  /** `CatsController.findOne` */
  readonly spanName: string;
}

/**
 * The route `RouterExecutionContext#create(instance, callback)` makes a handler for: the
 * controller's class name and the method's name (OpenTelemetry's naming:
 * `Controller.method`, the controller alone for an anonymous method).
 */
export function readRoute(instance: unknown, callback: unknown, version: string | undefined): NestRoute {
  const controller = nameOf((instance as { constructor?: { name?: unknown } } | null | undefined)?.constructor?.name) ?? 'UnnamedInstance';
  const callbackName = typeof callback === 'function' ? nameOf(callback.name) : undefined;
  return { version, controller, callback: callbackName, spanName: callbackName === undefined ? controller : `${controller}.${callbackName}` };
}

/** Attributes of the span of one request through a route (fresh per span). */
export function requestContextAttributes(route: NestRoute, httpRoute: string | undefined): Attributes {
  const attributes: Attributes = {
    [ATTR_NESTJS_TYPE]: NESTJS_TYPE_REQUEST_CONTEXT,
    [ATTR_NESTJS_CONTROLLER]: route.controller,
  };
  if (route.callback !== undefined) attributes[ATTR_NESTJS_CALLBACK] = route.callback;
  if (route.version !== undefined) attributes[ATTR_NESTJS_VERSION] = route.version;
  if (httpRoute !== undefined) attributes[ATTR_HTTP_ROUTE] = httpRoute;
  return attributes;
}

/** Attributes of the span of the controller's method alone (fresh per span). */
export function handlerAttributes(route: NestRoute): Attributes {
  const attributes: Attributes = { [ATTR_NESTJS_TYPE]: NESTJS_TYPE_HANDLER, [ATTR_NESTJS_CONTROLLER]: route.controller };
  if (route.callback !== undefined) attributes[ATTR_NESTJS_CALLBACK] = route.callback;
  if (route.version !== undefined) attributes[ATTR_NESTJS_VERSION] = route.version;
  return attributes;
}

/** The handler span's name: the method's, as OpenTelemetry names it. */
export function handlerSpanName(route: NestRoute): string {
  return route.callback ?? 'anonymous nest handler';
}

/** Attributes of the app-creation span: `NestFactory.create(AppModule)`. */
export function appCreationAttributes(module: unknown, version: string | undefined): Attributes {
  const attributes: Attributes = { [ATTR_NESTJS_TYPE]: NESTJS_TYPE_APP_CREATION };
  const name = typeof module === 'function' ? nameOf(module.name) : undefined;
  if (name !== undefined) attributes[ATTR_NESTJS_MODULE] = name;
  if (version !== undefined) attributes[ATTR_NESTJS_VERSION] = version;
  return attributes;
}

function nameOf(name: unknown): string | undefined {
  if (typeof name !== 'string' || name.length === 0) return undefined;
  return name.length > NAME_MAX ? name.slice(0, NAME_MAX) : name;
}
