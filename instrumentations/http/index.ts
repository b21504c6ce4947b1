import type * as Http from 'node:http';
import {
  getOriginal,
  httpConfigOf,
  isWrapped,
  unwrap,
  wrap,
  type AnyFunction,
  type HttpConfig,
  type Instrumentation,
  type InstrumentationKit,
  type ModuleTarget,
} from '../../src/instrument';
import { makeGet, makeRequest } from './client';
import { emitSource, makeClientRequestEmit, makeIncomingMessageEmit, makeServerResponseEmit } from './emitters';
import { makeServerEmit } from './server';

let config: HttpConfig | undefined;

/** Patches of `http` / `https`: server 'request' events, request()/get(), message emitters. */
export const instrumentation: Instrumentation = {
  patch(exports: typeof Http, target: ModuleTarget, kit: InstrumentationKit) {
    // http and https share one config: the first patch makes it from the kit's settings.
    const httpConfig = (config ??= httpConfigOf(kit.settings.http));
    const scheme = target.module === 'https' ? 'https' : 'http';
    // https reuses http's message classes; make sure they are patched whichever loads first.
    patchMessages(scheme === 'http' ? exports : (require('node:http') as typeof Http));
    const serverProto = exports.Server.prototype;
    wrap(serverProto, 'emit', (original) => makeServerEmit(kit, httpConfig, scheme, emitSource(serverProto, original)));
    const originalRequest = getOriginal(exports.request) as AnyFunction;
    wrap(exports, 'request', makeRequest(kit, httpConfig));
    wrap(exports, 'get', makeGet(kit, httpConfig, originalRequest));
    return exports;
  },
  unpatch(exports: typeof Http, target: ModuleTarget) {
    unwrap(exports.Server.prototype, 'emit');
    unwrap(exports, 'request');
    unwrap(exports, 'get');
    if (target.module === 'http') {
      unwrap(exports.IncomingMessage.prototype, 'emit');
      unwrap(exports.ServerResponse.prototype, 'emit');
      unwrap(exports.ClientRequest.prototype, 'emit');
    }
  },
};

function patchMessages(http: typeof Http): void {
  for (const [proto, make] of [
    [http.IncomingMessage.prototype, makeIncomingMessageEmit],
    [http.ServerResponse.prototype, makeServerResponseEmit],
    [http.ClientRequest.prototype, makeClientRequestEmit],
  ] as const) {
    if (!isWrapped(proto.emit)) wrap(proto as { emit: AnyFunction }, 'emit', (original) => make(emitSource(proto, original)));
  }
}
