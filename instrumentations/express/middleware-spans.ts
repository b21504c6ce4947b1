import {
  ATTR_HTTP_ROUTE,
  context,
  recordError,
  setSpan,
  SpanKind,
  startSpan,
  type AnyFunction,
  type Context,
  type InstrumentationKit,
  type Span,
  type SpanSpec,
} from '../../src/instrument';
import type { LayerLike, LayerTag, RequestState } from './state';

/** Attributes of the opt-in layer spans (the keys OpenTelemetry's express instrumentation uses). */
export const ATTR_EXPRESS_TYPE = 'express.type';
export const ATTR_EXPRESS_NAME = 'express.name';
export const EXPRESS_TYPE_MIDDLEWARE = 'middleware';
export const EXPRESS_TYPE_ROUTER = 'router';
export const EXPRESS_TYPE_REQUEST_HANDLER = 'request_handler';

/** Name, kind and attributes of the span of one layer: a pure recipe. */
export function layerSpanSpec(layer: LayerLike, tag: LayerTag, template: string): SpanSpec {
  if (tag.isRoute) {
    return {
      name: `request handler - ${template}`,
      kind: SpanKind.INTERNAL,
      attributes: { [ATTR_EXPRESS_TYPE]: EXPRESS_TYPE_REQUEST_HANDLER, [ATTR_HTTP_ROUTE]: template },
    };
  }
  // A mounted router carries its own stack: name it by its mount path, not "router".
  const handle = layer.handle as { stack?: unknown } | undefined;
  if (handle !== undefined && Array.isArray(handle.stack)) {
    const mount = template.length > 0 ? template : '/';
    return {
      name: `router - ${mount}`,
      kind: SpanKind.INTERNAL,
      attributes: { [ATTR_EXPRESS_TYPE]: EXPRESS_TYPE_ROUTER, [ATTR_HTTP_ROUTE]: mount },
    };
  }
  const name = typeof layer.name === 'string' && layer.name.length > 0 ? layer.name : '<anonymous>';
  return {
    name: `middleware - ${name}`,
    kind: SpanKind.INTERNAL,
    attributes: { [ATTR_EXPRESS_TYPE]: EXPRESS_TYPE_MIDDLEWARE, [ATTR_EXPRESS_NAME]: name },
  };
}

/**
 * Runs one layer inside its own INTERNAL span (opt-in: WAYMARK_EXPRESS_MIDDLEWARE_SPANS).
 * The span ends when the layer calls `next` (recording the error it passes, if any) or
 * when the response ends, whichever is first. `next` continues in the caller's context,
 * so consecutive middlewares are siblings, not a staircase.
 */
export function traceLayer(
  kit: InstrumentationKit,
  state: RequestState,
  layer: LayerLike,
  tag: LayerTag,
  template: string,
  original: AnyFunction,
  args: IArguments,
  nextIndex: number,
): unknown {
  let spec: SpanSpec | undefined;
  try {
    spec = layerSpanSpec(layer, tag, template);
  } catch (err) {
    kit.fail(err, 'express layer span');
  }
  const next = args[nextIndex] as unknown;
  if (spec === undefined || typeof next !== 'function') return original.apply(layer, args as unknown as unknown[]);
  const parent = context.active();
  const span = startSpan(kit, spec, parent);
  track(state, span, args[nextIndex - 1]);
  const callArgs = Array.prototype.slice.call(args) as unknown[];
  // Express hands every layer its `req.next`, and res.format calls req.next itself: while
  // the layer runs, req.next is the layer's `next` as it is without the agent.
  const req = args[nextIndex - 2] as { next?: unknown } | null | undefined;
  const withReq = req != null && req.next === next ? req : undefined;
  const layerNext = makeNext(state, span, parent, next as AnyFunction, withReq);
  callArgs[nextIndex] = layerNext;
  if (withReq !== undefined) withReq.next = layerNext;
  return context.apply(setSpan(parent, span), original, layer, callArgs);
}

function makeNext(state: RequestState, span: Span, parent: Context, next: AnyFunction, req: { next?: unknown } | undefined): AnyFunction {
  return function next_(this: unknown, err?: unknown) {
    endLayerSpan(state, span, err);
    if (req !== undefined && req.next === next_) req.next = next;
    return context.apply(parent, next, this, arguments);
  };
}

/** Keeps the span in the request's open list; one listener per request ends what is left. */
function track(state: RequestState, span: Span, res: unknown): void {
  if (state.open === undefined) {
    state.open = [];
    const emitter = res as { once?: (event: string, fn: () => void) => unknown } | undefined;
    if (emitter !== undefined && typeof emitter.once === 'function') {
      const endAll = (): void => endOpenSpans(state);
      emitter.once('finish', endAll);
      emitter.once('close', endAll);
    }
  }
  state.open.push(span);
}

function endLayerSpan(state: RequestState, span: Span, err: unknown): void {
  const open = state.open;
  const at = open === undefined ? -1 : open.indexOf(span);
  if (at < 0) return; // already ended (next called twice, or after the response)
  open!.splice(at, 1);
  if (err && err !== 'route' && err !== 'router') recordError(span, err);
  span.end();
}

function endOpenSpans(state: RequestState): void {
  const open = state.open;
  if (open === undefined) return;
  state.open = [];
  for (const span of open) span.end();
}
