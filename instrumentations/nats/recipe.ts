import {
  SpanKind,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_MESSAGING_CONSUMER_GROUP_NAME,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_DESTINATION_SUBSCRIPTION_NAME,
  ATTR_MESSAGING_DESTINATION_TEMPORARY,
  ATTR_MESSAGING_MESSAGE_BODY_SIZE,
  ATTR_MESSAGING_OPERATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM,
  type Attributes,
  type SpanSpec,
} from '../../src/instrument';
import {
  MESSAGING_SYSTEM_VALUE_NATS,
  OPERATION_PROCESS,
  OPERATION_PUBLISH,
  OPERATION_REQUEST,
  OPERATION_TYPE_PROCESS,
  OPERATION_TYPE_SEND,
} from './semconv';

/**
 * Pure recipes of the nats instrumentation. Span names are `<operation> <subject>`; a reply
 * inbox (`_INBOX.…`, unique per requester) is never span-name material: it shows as
 * `(temporary)` with `messaging.destination.temporary`. A subscription's own subject (with
 * its `*`/`>` wildcards) names its process spans: it is the low-cardinality template of the
 * subjects it receives.
 */

/** The server a connection talks to. */
export interface NatsServer {
  readonly address: string | undefined;
  readonly port: number | undefined;
}

/** What a publish, a request or a JetStream publish was called with (not a system subject). */
export interface SendCall {
  readonly server: NatsServer;
  readonly subject: unknown;
  readonly data: unknown;
}

/** One delivered message and where it was received. */
export interface Delivery {
  readonly server: NatsServer;
  /** The message's own subject. */
  readonly subject: string;
  /** The subscription's subject (a pattern), when the message came through one. */
  readonly subscription: string | undefined;
  /** A core queue group or a JetStream consumer's name. */
  readonly group: string | undefined;
  readonly data: unknown;
}

const INBOX = '_INBOX.';
const TEMPORARY = '(temporary)';

/** True for a subject of the request/reply inboxes. */
export function isInbox(subject: string): boolean {
  return subject.startsWith(INBOX);
}

/**
 * True for the server's own API subjects (`$JS.API.…` of JetStream's management and pulls,
 * `$KV.`, `$O.`, `$SYS.`, `$SRV.`): the library's plumbing, one per call and often per id,
 * not the app's messages. Sends to them and subscriptions on them make no spans.
 */
export function isSystemSubject(subject: unknown): boolean {
  return typeof subject === 'string' && subject.charCodeAt(0) === 36 /* $ */;
}

function sizeOf(data: unknown): number | undefined {
  if (data instanceof Uint8Array) return data.length;
  return typeof data === 'string' ? Buffer.byteLength(data) : undefined;
}

function baseAttributes(server: NatsServer, subject: string, operation: string, type: string, data: unknown): Attributes {
  const attrs: Attributes = {
    [ATTR_MESSAGING_SYSTEM]: MESSAGING_SYSTEM_VALUE_NATS,
    [ATTR_MESSAGING_DESTINATION_NAME]: subject,
    [ATTR_MESSAGING_OPERATION_NAME]: operation,
    [ATTR_MESSAGING_OPERATION_TYPE]: type,
  };
  if (isInbox(subject)) attrs[ATTR_MESSAGING_DESTINATION_TEMPORARY] = true;
  const size = sizeOf(data);
  if (size !== undefined) attrs[ATTR_MESSAGING_MESSAGE_BODY_SIZE] = size;
  if (server.address !== undefined) attrs[ATTR_SERVER_ADDRESS] = server.address;
  if (server.port !== undefined) attrs[ATTR_SERVER_PORT] = server.port;
  return attrs;
}

function sendSpec(call: SendCall, operation: string): SpanSpec {
  const subject = typeof call.subject === 'string' ? call.subject : String(call.subject);
  const attributes = baseAttributes(call.server, subject, operation, OPERATION_TYPE_SEND, call.data);
  return { name: `${operation} ${isInbox(subject) ? TEMPORARY : subject}`, kind: SpanKind.PRODUCER, attributes };
}

/** PRODUCER span of `publish` (core) and of a JetStream publish (which ends at the stream's ack). */
export function publishSpec(call: SendCall): SpanSpec {
  return sendSpec(call, OPERATION_PUBLISH);
}

/**
 * Span of a request: it sends one message and lasts until the reply (or the timeout).
 * PRODUCER, as the conventions make a send whose context is the message's creation context
 * (the responder's process span is its child); `messaging.operation.type` is `send`.
 */
export function requestSpec(call: SendCall): SpanSpec {
  return sendSpec(call, OPERATION_REQUEST);
}

/** CONSUMER span of one delivered message, processed by a callback or a loop's iteration. */
export function processSpec(d: Delivery): SpanSpec {
  const attributes = baseAttributes(d.server, d.subject, OPERATION_PROCESS, OPERATION_TYPE_PROCESS, d.data);
  if (d.subscription !== undefined && d.subscription !== d.subject) attributes[ATTR_MESSAGING_DESTINATION_SUBSCRIPTION_NAME] = d.subscription;
  if (d.group !== undefined && d.group !== '') attributes[ATTR_MESSAGING_CONSUMER_GROUP_NAME] = d.group;
  const label = d.subscription ?? d.subject;
  return { name: `${OPERATION_PROCESS} ${isInbox(label) ? TEMPORARY : label}`, kind: SpanKind.CONSUMER, attributes };
}
