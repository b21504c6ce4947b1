import { ownerOf, type Instrumentation, type InstrumentationKit } from '../../src/instrument';
import { wrapCallback } from './wrap-callback';

/**
 * Koa 2 and 3: `Application#callback()` composes the app's middleware once per server;
 * the wrapper hands it a traced copy of the list (the app's own array is left as it is).
 * Routers (@koa/router, koa-router) are not patched: they leave the matched layer's
 * template in `ctx._matchedRoute`, which the outermost middleware reads when it settles.
 */
export const instrumentation: Instrumentation = {
  patch(exports: unknown, _target: unknown, kit: InstrumentationKit): void {
    const app = ownerOf(exports, 'callback');
    if (app === undefined) throw new TypeError('koa: Application#callback not found');
    kit.wrap(app, 'callback', wrapCallback(kit, kit.settings.koa.middlewareSpans));
  },
  unpatch(exports: unknown, _target: unknown, kit: InstrumentationKit): void {
    const app = ownerOf(exports, 'callback');
    if (app !== undefined) kit.unwrap(app, 'callback');
  },
};
