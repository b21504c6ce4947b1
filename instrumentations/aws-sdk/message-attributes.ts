import type { TextMapGetter } from '../../src/instrument';
import { MAX_MESSAGE_ATTRIBUTES } from './semconv';

/**
 * Pure helpers of SQS and SNS message attributes, the carrier of the trace context:
 * `traceparent` (and `tracestate`, and whatever else the configured propagators write) as
 * String attributes. The app's own objects are never changed: every helper returns copies.
 */

/** One message attribute as the SDK takes and returns it. */
export interface MessageAttributeValue {
  readonly DataType?: unknown;
  readonly StringValue?: unknown;
}

export type MessageAttributeMap = Readonly<Record<string, MessageAttributeValue>>;

/** Reads the trace context out of a received message's attributes. */
export const messageAttributeGetter: TextMapGetter<MessageAttributeMap> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const v = carrier[key]?.StringValue;
    return typeof v === 'string' ? v : undefined;
  },
};

/**
 * A copy of `attributes` with the `carrier`'s fields added as String attributes (an
 * attribute the app set itself under the same name is kept); undefined when that would
 * take the message over SQS's limit of 10 attributes (the message then goes as it was).
 */
export function withTraceContext(attributes: unknown, carrier: Readonly<Record<string, string>>): Record<string, MessageAttributeValue> | undefined {
  const own = attributes !== null && typeof attributes === 'object' ? (attributes as MessageAttributeMap) : {};
  const copy: Record<string, MessageAttributeValue> = { ...own };
  let count = Object.keys(copy).length;
  for (const key of Object.keys(carrier)) {
    if (key in copy) continue;
    if (++count > MAX_MESSAGE_ATTRIBUTES) return undefined;
    copy[key] = { DataType: 'String', StringValue: carrier[key] };
  }
  return copy;
}

/** Names that ask for every attribute. */
const ALL_NAMES = new Set(['All', '.*']);

/**
 * The propagation `fields` a ReceiveMessage must ask for beyond the names the app asked
 * for (`MessageAttributeNames`, where `All`, `.*` and `prefix.*` may stand for several).
 */
export function namesToAdd(asked: unknown, fields: readonly string[]): string[] {
  const names = Array.isArray(asked) ? (asked as unknown[]).filter((n): n is string => typeof n === 'string') : [];
  if (names.some((n) => ALL_NAMES.has(n))) return [];
  const prefixes = names.filter((n) => n.endsWith('.*')).map((n) => n.slice(0, -1));
  return fields.filter((f) => !names.includes(f) && !prefixes.some((p) => f.startsWith(p)));
}

/** A received message, as far as the instrumentation reads it. */
export interface ReceivedMessage {
  MessageId?: unknown;
  MessageAttributes?: Record<string, MessageAttributeValue>;
  MD5OfMessageAttributes?: unknown;
}

/**
 * Takes back, from each received message, the attributes only the instrumentation asked
 * for, so the app sees what it asked for. A message left with no attributes (the app asked
 * for none) loses the map and its digest too, as when the app alone had called.
 */
export function removeAddedNames(messages: readonly ReceivedMessage[], added: readonly string[], askedNone: boolean): void {
  for (const message of messages) {
    const attributes = message.MessageAttributes;
    if (attributes === null || typeof attributes !== 'object') continue;
    for (const name of added) delete attributes[name];
    if (askedNone && Object.keys(attributes).length === 0) {
      delete message.MessageAttributes;
      delete message.MD5OfMessageAttributes;
    }
  }
}
