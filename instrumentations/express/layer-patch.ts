import { setServerRoute, type InstrumentationKit, type Methods } from '../../src/instrument';
import { recordRequestError } from './errors';
import { traceLayer } from './middleware-spans';
import { joinPrefix, joinRoute } from './route-template';
import { LAYER_TAG, stateOf, type LayerLike, type LayerTag, type RequestState } from './state';

/** Names of the Layer methods per major: Express 4 `lib/router/layer.js`, router@2 `lib/layer.js`. */
export interface LayerMethods {
  readonly request: string;
  readonly error: string;
}
export const EXPRESS4_LAYER: LayerMethods = { request: 'handle_request', error: 'handle_error' };
export const ROUTER2_LAYER: LayerMethods = { request: 'handleRequest', error: 'handleError' };

/**
 * Wraps the two methods through which every matched layer runs. Per call the default
 * path reads one symbol property; only tagged layers of traced requests do more.
 */
export function patchLayer(proto: object, methods: LayerMethods, kit: InstrumentationKit, middlewareSpans: boolean): void {
  const target = proto as Methods;
  kit.wrap(target, methods.request, (original) =>
    function handleRequest(this: LayerLike, req: unknown) {
      const tag = this[LAYER_TAG];
      const state = tag !== undefined && kit.active ? stateOf(req) : undefined;
      if (state === undefined) return original.apply(this, arguments as unknown as unknown[]);
      const template = kit.safe2(enterLayer, tag!, state);
      if (middlewareSpans && template !== undefined && acceptsRequest(this)) {
        return traceLayer(kit, state, this, tag!, template, original, arguments, 2);
      }
      return original.apply(this, arguments as unknown as unknown[]);
    },
  );
  kit.wrap(target, methods.error, (original) =>
    function handleError(this: LayerLike, err: unknown, req: unknown) {
      const state = kit.active ? stateOf(req) : undefined;
      if (state === undefined) return original.apply(this, arguments as unknown as unknown[]);
      // Every layer after a failure is offered the error: record it at the first one.
      kit.safe2(recordRequestError, state, err);
      const tag = this[LAYER_TAG];
      const template = tag !== undefined ? kit.safe2(enterLayer, tag, state) : undefined;
      if (middlewareSpans && template !== undefined && acceptsError(this)) {
        return traceLayer(kit, state, this, tag!, template, original, arguments, 3);
      }
      return original.apply(this, arguments as unknown as unknown[]);
    },
  );
}

/** Undoes `patchLayer`. */
export function unpatchLayer(proto: object, methods: LayerMethods, kit: InstrumentationKit): void {
  kit.unwrap(proto as Methods, methods.request);
  kit.unwrap(proto as Methods, methods.error);
}

/**
 * A tagged layer is about to run: a route layer sets `http.route` (last one wins, so a
 * route that falls through to another is replaced); a mount layer leaves its prefix for
 * the router it may hand the request to. Returns the layer's full template.
 */
export function enterLayer(tag: LayerTag, state: RequestState): string {
  const prefix = state.prefixOf(tag.owner);
  let template = tag.memoTemplate;
  if (tag.memoPrefix !== prefix) {
    // Same prefix as last time in the steady state: no string is built per request.
    template = tag.isRoute ? joinRoute(prefix, tag.part) : joinPrefix(prefix, tag.part);
    tag.memoPrefix = prefix;
    tag.memoTemplate = template;
  }
  if (tag.isRoute) {
    state.pending = undefined;
    setServerRoute(state.req, template);
  } else {
    state.pending = template;
  }
  return template;
}

// Express skips (calls next) layers whose arity does not fit the call: no span for those.
function acceptsRequest(layer: LayerLike): boolean {
  return typeof layer.handle === 'function' && layer.handle.length <= 3;
}

function acceptsError(layer: LayerLike): boolean {
  return typeof layer.handle === 'function' && layer.handle.length === 4;
}
