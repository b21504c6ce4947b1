import type * as Http2 from 'node:http2';
import { unwrap, wrap, type Instrumentation, type InstrumentationKit } from '../../src/instrument';
import { makeConnect } from './client';
import { makeCreateServer } from './server';

/**
 * Patches of `http2`: `connect` (its sessions' class gets a traced `request`) and
 * `createServer` / `createSecureServer` (each server's 'stream' events, which the
 * compat 'request' API is built on). Spans as the http instrumentation's, with
 * `network.protocol.version` 2. Exchanges of a claimed content type (gRPC) are left to
 * their own instrumentation.
 */
export const instrumentation: Instrumentation = {
  patch(exports: typeof Http2, _target: unknown, kit: InstrumentationKit) {
    wrap(exports, 'connect', makeConnect(kit));
    wrap(exports, 'createServer', makeCreateServer(kit, false));
    wrap(exports, 'createSecureServer', makeCreateServer(kit, true));
    return exports;
  },
  unpatch(exports: typeof Http2) {
    unwrap(exports, 'connect');
    unwrap(exports, 'createServer');
    unwrap(exports, 'createSecureServer');
  },
};
