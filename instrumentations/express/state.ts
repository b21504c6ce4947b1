import { getServerSpanHolder, type AnyFunction, type Span } from '../../src/instrument';

/** What our `use`/`route` wrappers attach to each layer they see registered. */
export const LAYER_TAG = Symbol('waymark.express.layer');
/** Where the per-request state lives on the request's server-span holder. */
const STATE = Symbol('waymark.express.request');

/** Registration-time facts about one layer: computed once, read per request. */
export class LayerTag {
  /** One-entry memo of the full template for the last prefix seen (almost always the same one). */
  memoPrefix: string | undefined = undefined;
  memoTemplate = '';

  constructor(
    /** The router whose stack holds the layer (its prefix is known per request). */
    readonly owner: object,
    /** The layer's own path template (`/users/:id`), if it has one. */
    readonly part: string | undefined,
    /** True for the layer of `router.route(path)` (a leaf: it sets http.route). */
    readonly isRoute: boolean,
  ) {}
}

/** The parts of an Express/router Layer we read. */
export interface LayerLike {
  handle?: AnyFunction;
  name?: string;
  [LAYER_TAG]?: LayerTag;
}

/** The parts of a Router we read. */
export interface RouterLike {
  stack?: LayerLike[];
}

/**
 * Per-request state, created by the outermost `Router#handle` of a traced request:
 * one object per request, kept on the request's server-span holder (see `createState`).
 */
export class RequestState {
  /**
   * Route prefix of each router entered below the top one (nested routers, sub-apps), as
   * flat `[router, prefix, router, prefix, ...]` pairs: a request passes a few routers at
   * most, and a small array is cheaper to make than a Map.
   */
  levels: Array<object | string> | undefined = undefined;
  /** Prefix for the next router entered: set by a mount layer, taken by `Router#handle`. */
  pending: string | undefined = undefined;
  /** The last error recorded, so an error passed along several layers is recorded once. */
  lastError: unknown = undefined;
  /** Opt-in middleware spans still open; ended at the latest when the response ends. */
  open: Span[] | undefined = undefined;

  constructor(readonly req: object) {}

  /** Template prefix of `router` for this request ('' for the top router). */
  prefixOf(router: object): string {
    const levels = this.levels;
    if (levels === undefined) return '';
    for (let i = 0; i < levels.length; i += 2) if (levels[i] === router) return levels[i + 1] as string;
    return '';
  }

  /** Records the prefix a router was entered under (a router entered again is updated). */
  enterRouter(router: object, prefix: string): void {
    const levels = this.levels;
    if (levels === undefined) {
      if (prefix.length > 0) this.levels = [router, prefix];
      return;
    }
    for (let i = 0; i < levels.length; i += 2) {
      if (levels[i] === router) {
        levels[i + 1] = prefix;
        return;
      }
    }
    levels.push(router, prefix);
  }
}

/** The state of a request the outermost router has seen, if it is traced. */
export function stateOf(req: unknown): RequestState | undefined {
  const holder = getServerSpanHolder(req as object | undefined) as WithState | undefined;
  return holder === undefined ? undefined : holder[STATE];
}

/**
 * Creates the state of a traced request. It lives on the request's server-span holder, not
 * on `req`: Express 5 has re-prototyped `req` by then, and adding a property to such an
 * object costs ~0.7 µs, while the holder keeps one stable shape.
 */
export function createState(req: object): RequestState | undefined {
  const holder = getServerSpanHolder(req) as WithState | undefined;
  if (holder === undefined) return undefined;
  const state = new RequestState(req);
  holder[STATE] = state;
  return state;
}

type WithState = { [STATE]?: RequestState };
