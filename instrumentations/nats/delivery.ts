import { propagation, ROOT_CONTEXT, type Context } from '../../src/instrument';
import { headerGetter, type NatsHeaders } from './headers';
import { isInbox, isSystemSubject, type Delivery, type NatsServer } from './recipe';
import { natsServer, type NatsProtocol } from './server';

/** A delivered message: a core `Msg` or a JetStream `JsMsg` (both read the same). */
export interface NatsMessage {
  readonly subject?: unknown;
  readonly data?: unknown;
  readonly headers?: NatsHeaders;
}

/** Where messages come from: a core subscription or a JetStream consumer's messages. */
export interface Source {
  readonly server: NatsServer;
  readonly subscription: string | undefined;
  readonly group: string | undefined;
}

/** What we read of a core `SubscriptionImpl` or a JetStream `PullConsumerMessagesImpl`. */
export interface Receiver {
  readonly subject?: unknown;
  readonly queue?: unknown;
  readonly protocol?: NatsProtocol;
  readonly consumer?: { readonly name?: unknown; readonly api?: { readonly nc?: { readonly protocol?: NatsProtocol } } };
}

/**
 * The source of a subscription or consumer whose messages are traced, else undefined:
 * reply inboxes (requests' replies, a JetStream consumer's own pull inbox) and system
 * subjects are the library's plumbing, and other iterators (status, watchers) carry no messages.
 */
export function sourceOf(r: Receiver): Source | undefined {
  const consumer = r.consumer;
  if (consumer != null && typeof consumer === 'object' && consumer.api != null) {
    const name = consumer.name;
    return { server: natsServer(consumer.api.nc?.protocol), subscription: undefined, group: typeof name === 'string' ? name : undefined };
  }
  if (typeof r.subject !== 'string' || r.protocol == null || isInbox(r.subject) || isSystemSubject(r.subject)) return undefined;
  return { server: natsServer(r.protocol), subscription: r.subject, group: typeof r.queue === 'string' ? r.queue : undefined };
}

/** The delivery of `message` from `source`, or undefined when it is not a message. */
export function deliveryOf(a: { source: Source; message: unknown }): Delivery | undefined {
  const m = a.message as NatsMessage | null;
  if (m === null || typeof m !== 'object' || typeof m.subject !== 'string') return undefined;
  return { server: a.source.server, subject: m.subject, subscription: a.source.subscription, group: a.source.group, data: m.data };
}

/**
 * The parent of a message's CONSUMER span: the producer's context from its headers, else
 * a new trace; never the context that happened to be active where the connection was opened
 * or where the app iterates.
 */
export function deliveryParent(message: NatsMessage): Context {
  const headers = message.headers;
  if (headers == null || typeof headers.get !== 'function') return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, headers, headerGetter);
}
