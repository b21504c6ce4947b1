import { propagation, ROOT_CONTEXT, type Context, type TextMapGetter } from '../../src/instrument';

/** MQTT 5 user properties as the client hands them over: a key maps to one value or several. */
export type UserProperties = Record<string, string | string[]>;

/** The publish options we read and copy. */
export interface PublishOptions {
  readonly properties?: { readonly userProperties?: UserProperties } & Record<string, unknown>;
  readonly [key: string]: unknown;
}

/** Reads trace fields from a received packet's user properties (the first of repeated ones). */
const getter: TextMapGetter<UserProperties> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const v = carrier[key];
    if (typeof v === 'string') return v;
    return Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;
  },
};

/**
 * A copy of `opts` whose MQTT 5 user properties carry `producer`, or undefined when the
 * propagators write nothing. The app's options, properties and user properties objects are
 * never changed; its own user properties are kept, ours written over same-named ones.
 */
export function withTraceProperties(opts: PublishOptions | null | undefined, producer: Context): PublishOptions | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(producer, carrier);
  if (Object.keys(carrier).length === 0) return undefined;
  const properties = opts?.properties;
  const own = properties?.userProperties;
  return { ...opts, properties: { ...properties, userProperties: { ...own, ...carrier } } };
}

/**
 * The parent of a received message's CONSUMER span: the producer's context from the
 * packet's user properties (MQTT 5), else a new trace; never the context of whoever opened
 * the connection, in which the client's socket events run.
 */
export function deliveryParent(packet: { properties?: { userProperties?: unknown } } | null | undefined): Context {
  const props = packet?.properties?.userProperties;
  if (props == null || typeof props !== 'object') return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, props as UserProperties, getter);
}
