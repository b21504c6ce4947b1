import {
  claimContentType,
  ownerOf,
  type Instrumentation,
  type InstrumentationKit,
  type ModuleTarget,
} from '../../src/instrument';
import { makeClientRequest, type ClientShape } from './wrap-client';
import { makeRegister } from './wrap-server';

/** Client's four call shapes, by method. */
const CLIENT_METHODS: Record<string, ClientShape> = {
  makeUnaryRequest: { hasArgument: true, hasCallback: true },
  makeClientStreamRequest: { hasArgument: false, hasCallback: true },
  makeServerStreamRequest: { hasArgument: true, hasCallback: false },
  makeBidiStreamRequest: { hasArgument: false, hasCallback: false },
};

type Exports = { Client?: { prototype: object }; Server?: { prototype: object } };

/**
 * Patches of grpc-js's internal client and server files. The client's methods are patched
 * on `Client.prototype` as build/src/client.js loads: the generated service clients copy
 * them when build/src/make-client.js loads, just after. The server wraps each handler as it
 * is registered.
 */
export const instrumentation: Instrumentation = {
  patch(exports: Exports, target: ModuleTarget, kit: InstrumentationKit) {
    // grpc-js runs over node:http2: its exchanges are this instrumentation's spans, not HTTP ones.
    claimContentType(kit, 'application/grpc');
    if (target.file === 'build/src/client.js' && exports.Client !== undefined) {
      for (const [name, shape] of Object.entries(CLIENT_METHODS)) {
        const owner = ownerOf(exports.Client, name);
        if (owner !== undefined) kit.wrap(owner, name, makeClientRequest(kit, shape));
      }
    } else if (target.file === 'build/src/server.js' && exports.Server !== undefined) {
      const owner = ownerOf(exports.Server, 'register');
      if (owner !== undefined) kit.wrap(owner, 'register', makeRegister(kit));
    }
    return exports;
  },
  unpatch(exports: Exports, target: ModuleTarget, kit: InstrumentationKit) {
    if (target.file === 'build/src/client.js' && exports.Client !== undefined) {
      for (const name of Object.keys(CLIENT_METHODS)) {
        const owner = ownerOf(exports.Client, name);
        if (owner !== undefined) kit.unwrap(owner, name);
      }
    } else if (target.file === 'build/src/server.js' && exports.Server !== undefined) {
      const owner = ownerOf(exports.Server, 'register');
      if (owner !== undefined) kit.unwrap(owner, 'register');
    }
  },
};
