import type * as Http from 'node:http';
import {
  getOriginal,
  isWrapped,
  unwrap,
  wrap,
  type AnyFunction,
  type Instrumentation,
  type InstrumentationKit,
  type ModuleTarget,
} from '../../src/instrument';
import { makeGet, makeRequest } from './client';
import { readHttpConfig, type HttpConfig } from './config';
import { makeClientRequestEmit, makeIncomingMessageEmit, makeServerResponseEmit } from './emitters';
import { makeServerEmit } from './server';

let config: HttpConfig | undefined;

/** Patches of `http` / `https`: server 'request' events, request()/get(), message emitters. */
export const instrumentation: Instrumentation = {
  patch(exports: typeof Http, target: ModuleTarget, kit: InstrumentationKit) {
    config ??= readHttpConfig();
    const scheme = target.module === 'https' ? 'https' : 'http';
    // https reuses http's message classes; make sure they are patched whichever loads first.
    patchMessages(scheme === 'http' ? exports : (require('node:http') as typeof Http));
    wrap(exports.Server.prototype, 'emit', makeServerEmit(kit, config, scheme));
    const originalRequest = getOriginal(exports.request) as AnyFunction;
    wrap(exports, 'request', makeRequest(kit, config));
    wrap(exports, 'get', makeGet(kit, config, originalRequest));
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
  if (!isWrapped(http.IncomingMessage.prototype.emit)) wrap(http.IncomingMessage.prototype, 'emit', makeIncomingMessageEmit);
  if (!isWrapped(http.ServerResponse.prototype.emit)) wrap(http.ServerResponse.prototype, 'emit', makeServerResponseEmit);
  if (!isWrapped(http.ClientRequest.prototype.emit)) wrap(http.ClientRequest.prototype, 'emit', makeClientRequestEmit);
}
