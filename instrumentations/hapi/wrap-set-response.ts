import { getServerSpanHolder, type AnyFunction, type InstrumentationKit, type MakeWrapper } from '../../src/instrument';
import { recordHapiError, type HapiRequestLike } from './request';

/** `Request#_setResponse(response)`: a Boom (a thrown error is one by then) is recorded. */
export function wrapSetResponse(kit: InstrumentationKit): MakeWrapper {
  return (original: AnyFunction) =>
    function _setResponse(this: HapiRequestLike, response: unknown): unknown {
      if (kit.active && isBoom(response) && this != null && getServerSpanHolder(this.raw?.req) !== undefined) {
        kit.safe2(recordHapiError, this, response as object);
      }
      return original.apply(this, arguments as never);
    };
}

function isBoom(response: unknown): boolean {
  return response !== null && typeof response === 'object' && (response as { isBoom?: unknown }).isBoom === true;
}
