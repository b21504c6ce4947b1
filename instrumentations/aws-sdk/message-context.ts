import {
  diag,
  getSpan,
  hasValidSpan,
  propagation,
  setSpan,
  startSpan,
  ROOT_CONTEXT,
  type Context,
  type InstrumentationKit,
  type SpanCall,
} from '../../src/instrument';
import {
  messageAttributeGetter,
  namesToAdd,
  removeAddedNames,
  withTraceContext,
  type MessageAttributeMap,
  type ReceivedMessage,
} from './message-attributes';
import { processSpec, type MessageOperation } from './recipe';
import { MAX_MESSAGE_ATTRIBUTES } from './semconv';

/**
 * The trace across SQS and SNS, done inside the SDK's middleware stack (one middleware per
 * client, first of the `initialize` step): sends go out with the span's context in each
 * message's attributes, and ReceiveMessage asks for those attributes and makes a CONSUMER
 * span per message. The middleware works on copies of the input: the app's command and
 * its objects stay as the app built them.
 */

/** One traced call of a message operation, handed from the send wrapper to the middleware. */
export interface MessageCall {
  readonly call: SpanCall;
  readonly op: MessageOperation;
  /** `SQS.SendMessage`: for the diagnostic line. */
  readonly name: string;
}

/** The command being sent -> its traced call; the middleware takes the entry out. */
export const MESSAGE_CALLS = new WeakMap<object, MessageCall>();

/** The name the middleware has in a client's stack. */
export const MIDDLEWARE_NAME = 'waymarkMessageContext';

interface HandlerArgs {
  readonly input?: Record<string, unknown>;
}

interface HandlerOutput {
  readonly output?: { Messages?: unknown };
}

type Next = (args: HandlerArgs) => Promise<HandlerOutput>;

/** A client's middleware stack, as far as we use it. */
export interface MiddlewareStack {
  add(middleware: (next: Next) => Next, options: Record<string, unknown>): void;
}

const WITH_MIDDLEWARE = new WeakSet<object>();

/** Puts the middleware into `stack` once (a client's stack serves all its calls). */
export function ensureMiddleware(kit: InstrumentationKit, stack: MiddlewareStack): void {
  if (WITH_MIDDLEWARE.has(stack)) return;
  WITH_MIDDLEWARE.add(stack);
  stack.add((next: Next) => messageContext(kit, next), { step: 'initialize', priority: 'high', name: MIDDLEWARE_NAME, override: true });
}

/** The rewritten input of one call, and the names a receive added. */
interface Prepared {
  readonly input: Record<string, unknown>;
  readonly added: readonly string[];
  readonly askedNone: boolean;
}

function messageContext(kit: InstrumentationKit, next: Next): Next {
  return function waymarkMessageContext(args: HandlerArgs): Promise<HandlerOutput> {
    const entry = MESSAGE_CALLS.get(args);
    if (entry === undefined || !kit.active) return next(args);
    MESSAGE_CALLS.delete(args);
    const prepared = kit.safe2(prepareInput, entry, args.input);
    if (prepared === undefined) return next(args);
    const result = next({ ...args, input: prepared.input });
    if (entry.op !== 'sqs-receive') return result;
    return result.then((out) => {
      kit.safe2(deliver, { entry, input: args.input }, { out, prepared });
      return out;
    });
  };
}

const EMPTY: readonly string[] = [];

function prepareInput(entry: MessageCall, input: Record<string, unknown> | undefined): Prepared | undefined {
  if (input === undefined || input === null) return undefined;
  if (entry.op === 'sqs-receive') {
    const added = namesToAdd(input.MessageAttributeNames, propagation.fields());
    const asked = Array.isArray(input.MessageAttributeNames) ? (input.MessageAttributeNames as unknown[]) : [];
    if (added.length === 0) return { input, added: EMPTY, askedNone: false };
    return { input: { ...input, MessageAttributeNames: [...asked, ...added] }, added, askedNone: asked.length === 0 };
  }
  const carrier: Record<string, string> = {};
  propagation.inject(setSpan(entry.call.parent, entry.call.span), carrier);
  if (Object.keys(carrier).length === 0) return undefined;
  const key = entry.op === 'sqs-send-batch' ? 'Entries' : entry.op === 'sns-publish-batch' ? 'PublishBatchRequestEntries' : undefined;
  let skipped = 0;
  const carry = (message: Record<string, unknown>): Record<string, unknown> => {
    const attributes = withTraceContext(message.MessageAttributes, carrier);
    if (attributes !== undefined) return { ...message, MessageAttributes: attributes };
    skipped++;
    return message;
  };
  let out: Record<string, unknown>;
  if (key === undefined) out = carry(input);
  else if (Array.isArray(input[key])) {
    const entries = (input[key] as unknown[]).map((m) => (m !== null && typeof m === 'object' ? carry(m as Record<string, unknown>) : m));
    out = { ...input, [key]: entries };
  } else return undefined;
  if (skipped > 0) {
    diag.debug(`aws-sdk: ${entry.name}: trace context not added to ${skipped} message(s): it would take them over ${MAX_MESSAGE_ATTRIBUTES} message attributes`);
  }
  return { input: out, added: EMPTY, askedNone: false };
}

/**
 * After ReceiveMessage: a CONSUMER span per message (a child of the producer's span when
 * the message carries its context, linked to this receive; else a child of the receive),
 * started and ended at delivery, since SQS hands messages over in an array, not one by one
 * to a callback. The attributes only we asked for are taken back out before the app sees
 * the output (its digest, MD5OfMessageAttributes, still covers them when the app asked for
 * others too).
 */
function deliver(a: { entry: MessageCall; input: Record<string, unknown> | undefined }, b: { out: HandlerOutput; prepared: Prepared }): void {
  const messages = b.out?.output?.Messages;
  if (!Array.isArray(messages)) return;
  const { call } = a.entry;
  const receive = setSpan(call.parent, call.span);
  const kit = call.kit;
  const delivered = (messages as unknown[]).filter((m): m is ReceivedMessage => m !== null && typeof m === 'object');
  // Read before the names only we asked for are taken out.
  const producers = delivered.map(producerContext);
  if (b.prepared.added.length > 0) removeAddedNames(delivered, b.prepared.added, b.prepared.askedNone);
  delivered.forEach((message, i) => {
    const producer = producers[i];
    const span = startSpan(kit, processSpec({ queueUrl: a.input?.QueueUrl, messageId: message.MessageId }), producer ?? receive);
    if (producer !== undefined) span.addLink({ context: call.span.spanContext() });
    span.end();
  });
}

/** The producer's context carried by a message, or undefined. */
function producerContext(message: ReceivedMessage): Context | undefined {
  const attributes = message.MessageAttributes;
  if (attributes === null || typeof attributes !== 'object') return undefined;
  const extracted = propagation.extract(ROOT_CONTEXT, attributes as MessageAttributeMap, messageAttributeGetter);
  return hasValidSpan(extracted) && getSpan(extracted) !== undefined ? extracted : undefined;
}
