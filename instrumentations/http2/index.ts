import type * as Http2 from 'node:http2';
import { httpConfigOf, unwrap, wrap, type Instrumentation, type InstrumentationKit } from '../../src/instrument';
import { makeConnect } from './client';
import { makeCreateServer } from './server';

/**
 * Patches of `http2`: `connect` (its sessions' class gets a traced `request`) and
 * `createServer` / `createSecureServer` (each server's 'stream' events, which the
 * compat 'request' API is built on). Spans as the http instrumentation's, with
 * `network.protocol.version` 2, and the http settings (ignored paths, captured headers).
 * Exchanges of a claimed content type (gRPC) are left to their own instrumentation.
 */
export const instrumentation: Instrumentation = {
  patch(exports: typeof Http2, _target: unknown, kit: InstrumentationKit) {
    const config = httpConfigOf(kit.settings.http);
    wrap(exports, 'connect', makeConnect(kit, config));
    wrap(exports, 'createServer', makeCreateServer(kit, config, false));
    wrap(exports, 'createSecureServer', makeCreateServer(kit, config, true));
    return exports;
  },
  unpatch(exports: typeof Http2) {
    unwrap(exports, 'connect');
    unwrap(exports, 'createServer');
    unwrap(exports, 'createSecureServer');
  },
};
