import { context, propagation, type Context, type TextMapGetter } from '../../src/instrument';

/** The parts of a NATS `MsgHdrs` we use. */
export interface NatsHeaders {
  get(key: string): string;
  keys(): string[];
  encode(): Uint8Array;
}

/** Reads trace headers of a received message (`get` answers '' for a missing key). */
export const headerGetter: TextMapGetter<NatsHeaders> = {
  keys: (carrier) => carrier.keys(),
  get: (carrier, key) => {
    const v = carrier.get(key);
    return typeof v === 'string' && v !== '' ? v : undefined;
  },
};

const CRLF_CRLF = '\r\n\r\n';
const NO_HEADERS = 'NATS/1.0\r\n\r\n';

/**
 * The headers a traced message is sent with: the app's own (encoded as they are) followed by
 * the propagators' fields. A stand-in with the one method the protocol handler calls,
 * `encode()`, so the app's headers object is never changed and no NATS class is needed.
 * When the app's headers already hold a field (its own `traceparent`), the receiver's `get`
 * reads the app's first value.
 */
class TracedHeaders {
  constructor(
    readonly base: NatsHeaders | undefined,
    readonly fields: string,
  ) {}

  encode(): Uint8Array {
    // Headers without a field encode as nothing at all (JetStream always passes some).
    const own = this.base === undefined ? '' : Buffer.from(this.base.encode()).toString('utf8');
    const base = own.endsWith(CRLF_CRLF) ? own : NO_HEADERS;
    const end = base.length - 2;
    return Buffer.from(base.slice(0, end) + this.fields + '\r\n', 'utf8');
  }
}

/** Publish options of a protocol handler's `publish`. */
export interface PublishOptions {
  readonly reply?: string;
  readonly headers?: NatsHeaders;
}

/**
 * A copy of `options` whose headers carry `producer` (default: the active context);
 * `undefined` when the propagators write nothing (the message goes out as the app built it).
 */
export function withTraceHeaders(options: PublishOptions | undefined, producer: Context = context.active()): PublishOptions | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(producer, carrier);
  let fields = '';
  for (const key of Object.keys(carrier)) {
    const value = carrier[key]!;
    // A field must stay on its line: a value or key with CR/LF would forge headers.
    if (/[\r\n:]/.test(key) || /[\r\n]/.test(value)) continue;
    fields += `${key}: ${value}\r\n`;
  }
  if (fields === '') return undefined;
  const base = options?.headers;
  return { ...options, headers: new TracedHeaders(base != null && typeof base.encode === 'function' ? base : undefined, fields) as unknown as NatsHeaders };
}
