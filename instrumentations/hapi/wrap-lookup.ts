import { getServerSpanHolder, type AnyFunction, type InstrumentationKit, type MakeWrapper } from '../../src/instrument';
import { nameRoute, type HapiRequestLike } from './request';

/** `Request#_lookup()`: once it has matched, the route's template names the server span. */
export function wrapLookup(kit: InstrumentationKit): MakeWrapper {
  return (original: AnyFunction) =>
    function _lookup(this: HapiRequestLike): unknown {
      const result: unknown = original.apply(this, arguments as never);
      if (kit.active && this != null && getServerSpanHolder(this.raw?.req) !== undefined) kit.safe(nameRoute, this);
      return result;
    };
}
