import { ownerOf, type Instrumentation, type InstrumentationKit } from '../../src/instrument';
import { wrapLookup } from './wrap-lookup';
import { wrapSetResponse } from './wrap-set-response';

/**
 * Hapi 21 (`@hapi/hapi/lib/request.js`, the Request class): `_lookup()` routes the request
 * (the route's template names the server span), and every response, an error's Boom
 * included, passes `_setResponse()` (a failure is recorded there, even when an
 * `onPreResponse` extension later replaces it). No spans of its own, no lifecycle change.
 */
export const instrumentation: Instrumentation = {
  patch(exports: unknown, _target: unknown, kit: InstrumentationKit): void {
    const lookup = ownerOf(exports, '_lookup');
    const setResponse = ownerOf(exports, '_setResponse');
    if (lookup === undefined || setResponse === undefined) throw new TypeError('hapi: Request#_lookup/_setResponse not found');
    kit.wrap(lookup, '_lookup', wrapLookup(kit));
    kit.wrap(setResponse, '_setResponse', wrapSetResponse(kit));
  },
  unpatch(exports: unknown, _target: unknown, kit: InstrumentationKit): void {
    const lookup = ownerOf(exports, '_lookup');
    const setResponse = ownerOf(exports, '_setResponse');
    if (lookup !== undefined) kit.unwrap(lookup, '_lookup');
    if (setResponse !== undefined) kit.unwrap(setResponse, '_setResponse');
  },
};
