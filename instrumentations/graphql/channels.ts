import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { context, isTracingSuppressed, now, type Context, type ContextToken, type InstrumentationKit } from '../../src/instrument';
import { recordParseFailure, recordValidateFailure } from './failures';
import { fieldSpanFor, segmentsOfFieldPath, settleField } from './field-span';
import { operationIn, startOperation, type FieldSpan, type Operation } from './operation';
import type { DocumentLike } from './recipe';

/**
 * graphql 17 publishes its work on tracing channels (`graphql:parse`, `graphql:validate`,
 * `graphql:execute`, `graphql:resolve`; diagnostics.js of the package), for its CommonJS and
 * ESM builds alike, so nothing of it is patched: the same spans as for 15/16 come from the
 * channels' messages. Each `start` runs synchronously in the caller and its `end` right after
 * the call returns (a promise's outcome comes later, on `asyncEnd`), so the operation's
 * context is made current between the two (`context.enter`/`restore`) and every resolver and
 * promise made inside inherits it. `graphql:resolve` is subscribed to only with resolver
 * spans on: graphql 17 wraps each resolver call only while that channel has subscribers.
 */

/** The message of `graphql:execute`: the operation's args, plus what the channel sets and what we keep. */
interface ExecuteMessage {
  readonly document?: DocumentLike | null;
  readonly operationName?: unknown;
  result?: unknown;
  error?: unknown;
  [OP]?: Operation;
  [TOKEN]?: ContextToken;
}

interface ParseMessage {
  readonly source?: unknown;
  error?: unknown;
  [START]?: number;
}

interface ValidateMessage {
  readonly document?: unknown;
  result?: unknown;
  error?: unknown;
  [START]?: number;
}

/** The message of `graphql:resolve` (graphql 17's Executor#buildResolveContext). */
interface ResolveMessage {
  readonly fieldName?: unknown;
  readonly fieldType?: unknown;
  /** `users.0.posts`; a getter that joins the response path. */
  readonly fieldPath?: unknown;
  /** The field has no resolver of its own (graphql's default resolver reads a property). */
  readonly isDefaultResolver?: unknown;
  result?: unknown;
  error?: unknown;
  [FIELD]?: FieldSpan;
  [TOKEN]?: ContextToken;
}

const OP = Symbol('waymark.graphql.op');
const FIELD = Symbol('waymark.graphql.field');
const TOKEN = Symbol('waymark.graphql.token');
const START = Symbol('waymark.graphql.start');

type Handler = (message: unknown, name: string | symbol) => void;

/** What is subscribed, so that `unsubscribeChannels` takes back exactly that. */
let subscribed: Array<[string, Handler]> | undefined;

/** Subscribes to graphql 17's channels, once per process. */
export function subscribeChannels(kit: InstrumentationKit): void {
  if (subscribed !== undefined) return;
  const handlers: Array<[string, Handler]> = [
    ['tracing:graphql:parse:start', guard(kit, parseStart)],
    ['tracing:graphql:parse:error', guard(kit, parseError)],
    ['tracing:graphql:validate:start', guard(kit, validateStart)],
    ['tracing:graphql:validate:end', guard(kit, validateEnd)],
    ['tracing:graphql:execute:start', guard(kit, executeStart)],
    ['tracing:graphql:execute:end', guard(kit, executeEnd, true)],
    ['tracing:graphql:execute:asyncEnd', guard(kit, executeAsyncEnd, true)],
  ];
  if (kit.settings.graphql.resolverSpans) {
    handlers.push(
      ['tracing:graphql:resolve:start', guard(kit, resolveStart)],
      ['tracing:graphql:resolve:end', guard(kit, resolveEnd, true)],
      ['tracing:graphql:resolve:asyncEnd', guard(kit, resolveAsyncEnd, true)],
    );
  }
  for (const [name, handler] of handlers) subscribe(name, handler);
  subscribed = handlers;
}

/** Takes back what `subscribeChannels` subscribed. */
export function unsubscribeChannels(): void {
  if (subscribed === undefined) return;
  for (const [name, handler] of subscribed) unsubscribe(name, handler);
  subscribed = undefined;
}

/**
 * A subscriber that never throws: a throw in a subscriber would reach the app as an
 * uncaught exception (diagnostics_channel rethrows it on the next tick), so it disables this
 * instrumentation instead. `always`: also runs once disabled, to end what `start` began
 * (the context it entered is put back whatever happened since).
 */
function guard(kit: InstrumentationKit, fn: (kit: InstrumentationKit, message: never) => void, always = false): Handler {
  return (message: unknown) => {
    if ((!kit.active && !always) || message === null || typeof message !== 'object') return;
    try {
      fn(kit, message as never);
    } catch (err) {
      kit.fail(err, `graphql channel ${fn.name}`);
    }
  };
}

function parseStart(_kit: InstrumentationKit, message: ParseMessage): void {
  message[START] = now();
}

function parseError(kit: InstrumentationKit, message: ParseMessage): void {
  recordParseFailure(kit, message[START] ?? now(), message.source, message.error);
}

function validateStart(_kit: InstrumentationKit, message: ValidateMessage): void {
  message[START] = now();
}

function validateEnd(kit: InstrumentationKit, message: ValidateMessage): void {
  const start = message[START] ?? now();
  if ('error' in message) recordValidateFailure(kit, start, message.document, [message.error]);
  else if (Array.isArray(message.result) && message.result.length > 0) recordValidateFailure(kit, start, message.document, message.result);
}

function executeStart(kit: InstrumentationKit, message: ExecuteMessage): void {
  const parent: Context = context.active();
  if (isTracingSuppressed(parent)) return;
  const op = startOperation(kit, parent, message.document, message.operationName);
  if (op === undefined) return;
  message[OP] = op;
  message[TOKEN] = context.enter(op.ctx);
}

function executeEnd(_kit: InstrumentationKit, message: ExecuteMessage): void {
  const op = message[OP];
  if (op === undefined) return;
  context.restore(message[TOKEN]);
  message[TOKEN] = undefined;
  // A synchronous outcome is on the message now; a promise's comes with asyncEnd.
  if ('error' in message) op.fail(message.error);
  else if ('result' in message) op.settle(message.result);
}

function executeAsyncEnd(_kit: InstrumentationKit, message: ExecuteMessage): void {
  const op = message[OP];
  if (op === undefined) return;
  if ('error' in message) op.fail(message.error);
  else op.settle(message.result);
}

function resolveStart(kit: InstrumentationKit, message: ResolveMessage): void {
  // Fields without a resolver of their own are trivial: no span.
  if (message.isDefaultResolver === true) return;
  const op = operationIn(context.active());
  if (op === undefined || typeof message.fieldPath !== 'string') return;
  const fieldName = typeof message.fieldName === 'string' ? message.fieldName : '';
  const field = fieldSpanFor(kit, op, { segments: segmentsOfFieldPath(message.fieldPath), fieldName, fieldType: String(message.fieldType) });
  if (field === undefined) return;
  message[FIELD] = field;
  message[TOKEN] = context.enter(field.ctx);
}

function resolveEnd(_kit: InstrumentationKit, message: ResolveMessage): void {
  const field = message[FIELD];
  if (field === undefined) return;
  context.restore(message[TOKEN]);
  message[TOKEN] = undefined;
  if ('error' in message) settleField(field, message.error, true);
  else if ('result' in message) settleField(field, message.result, message.result instanceof Error);
}

function resolveAsyncEnd(_kit: InstrumentationKit, message: ResolveMessage): void {
  const field = message[FIELD];
  if (field === undefined) return;
  if ('error' in message) settleField(field, message.error, true);
  else settleField(field, message.result, message.result instanceof Error);
}
