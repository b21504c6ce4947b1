import type { EventEmitter } from 'node:events';
import {
  ATTR_ERROR_TYPE,
  ATTR_RPC_GRPC_STATUS_CODE,
  context,
  EMPTY_CONTEXT,
  isTracingSuppressed,
  propagation,
  recordError,
  setSpan,
  SpanKind,
  SpanStatusCode,
  type AnyFunction,
  type Context,
  type InstrumentationKit,
  type Span,
} from '../../src/instrument';
import { isMetadata, metadataGetter } from './metadata';
import { isServerFault, parseMethodPath, rpcAttributes, statusName, statusOfError, STATUS_CANCELLED, STATUS_DEADLINE_EXCEEDED, STATUS_OK, STATUS_UNKNOWN, type RpcMethod } from './recipe';

/** A server-side call object as handlers get it (ServerUnaryCall, ServerReadableStream...). */
type ServerCall = EventEmitter & { metadata?: unknown; getDeadline?(): unknown };

/** One traced call on the server: its span, ended once. */
class ServerCallState {
  ended = false;
  constructor(
    readonly kit: InstrumentationKit,
    readonly span: Span,
  ) {}
}

const STATE = Symbol('waymark.grpc.serverCall');
type WithState = ServerCall & { [STATE]?: ServerCallState };

/** Builds the wrapper of `Server.prototype.register(name, handler, serialize, deserialize, type)`. */
export function makeRegister(kit: InstrumentationKit) {
  return (original: AnyFunction): AnyFunction =>
    function register(this: unknown, name: unknown, handler: unknown, serialize: unknown, deserialize: unknown, type: unknown) {
      if (kit.active && typeof name === 'string' && typeof handler === 'function') {
        const method = kit.safe(parseMethodPath, name);
        if (method !== undefined) {
          const args = Array.prototype.slice.call(arguments) as unknown[];
          args[1] = traceHandler(kit, handler as AnyFunction, method, type === 'unary' || type === 'clientStream');
          return original.apply(this, args);
        }
      }
      return original.apply(this, arguments as unknown as unknown[]);
    };
}

/**
 * The app's handler, traced: the SERVER span starts when grpc-js hands over the call, the
 * handler runs in its context, and the span ends with the status the call ends with: the
 * callback's error (unary, client streaming), the stream's 'error' or 'finish' (server
 * streaming, bidi), a 'cancelled' call, or a handler that threw (grpc-js sends UNKNOWN).
 */
function traceHandler(kit: InstrumentationKit, handler: AnyFunction, method: RpcMethod, hasCallback: boolean): AnyFunction {
  // One closure per registered method, made at registration.
  return function tracedHandler(this: unknown, call: WithState) {
    if (!kit.active || call == null || typeof call !== 'object') return handler.apply(this, arguments as unknown as unknown[]);
    const active = context.active();
    if (isTracingSuppressed(active)) return handler.apply(this, arguments as unknown as unknown[]);
    const args = Array.prototype.slice.call(arguments) as unknown[];
    const started = startServerCall(kit, method, call, hasCallback, args);
    if (started === undefined) return handler.apply(this, arguments as unknown as unknown[]);
    const [state, ctx] = started;
    try {
      return context.apply(ctx, handler, this, args);
    } catch (err) {
      // grpc-js 1.10+ catches it and ends the call with UNKNOWN; the same object goes on
      // (before 1.10 it is the app's uncaught exception, as without the agent).
      endServerCall(state, STATUS_UNKNOWN, err);
      throw err;
    }
  };
}

/**
 * Starts the SERVER span of a call: a fresh trace from the client's metadata, nothing of
 * the connection's context carried over. Puts the traced callback in `args`; returns the
 * span's state and context, or undefined (the handler then runs as is) when it failed.
 */
function startServerCall(
  kit: InstrumentationKit,
  method: RpcMethod,
  call: WithState,
  hasCallback: boolean,
  args: unknown[],
): [ServerCallState, Context] | undefined {
  try {
    const metadata = call.metadata;
    const parent = isMetadata(metadata) ? propagation.extract(EMPTY_CONTEXT, metadata, metadataGetter) : EMPTY_CONTEXT;
    const span = kit.startSpan(method.name, SpanKind.SERVER, rpcAttributes(method), parent);
    const state = new ServerCallState(kit, span);
    const ctx = setSpan(parent, span);
    if (hasCallback && typeof args[1] === 'function') {
      observeCall(call, state);
      args[1] = respondWith(state, call, args[1] as AnyFunction);
    } else {
      observeStream(call, state);
    }
    // A stream's events come from the connection: its listeners run in the call's context.
    if (typeof (call as { pipe?: unknown }).pipe === 'function') context.bind(ctx, call);
    return [state, ctx];
  } catch (err) {
    kit.fail(err, 'server call');
    return undefined;
  }
}

/** The handler's callback: its first call ends the span; grpc-js's callback is called as is. */
function respondWith(state: ServerCallState, call: ServerCall, callback: AnyFunction): AnyFunction {
  return function respond(this: unknown, err?: unknown) {
    if (err != null) endServerCall(state, statusOfError(err), err);
    // A reply after the deadline is not sent: grpc-js has ended the call with DEADLINE_EXCEEDED.
    else endServerCall(state, deadlinePassed(call) ? STATUS_DEADLINE_EXCEEDED : STATUS_OK, undefined);
    return callback.apply(this, arguments as unknown as unknown[]);
  };
}

/** A call answered through its callback; every call object emits 'cancelled' when the client goes away. */
function observeCall(call: WithState, state: ServerCallState): void {
  call[STATE] = state;
  call.once('cancelled', onCancelled);
}

/**
 * A call answered by a stream: 'error' (the handler's error, sent as the status) or
 * 'finish' (all sent: OK). grpc-js listens to 'error' on its streams itself; where it
 * would not, none is added, so an unhandled error stays unhandled.
 */
function observeStream(call: WithState, state: ServerCallState): void {
  observeCall(call, state);
  if (call.listenerCount('error') > 0) call.once('error', onStreamError);
  call.once('finish', onStreamFinish);
}

function onCancelled(this: WithState, reason?: unknown): void {
  const state = this[STATE];
  if (state === undefined) return;
  // grpc-js before 1.10 names the reason; later ones keep the deadline on the call.
  const expired = reason === 'deadline' || deadlinePassed(this);
  endServerCall(state, expired ? STATUS_DEADLINE_EXCEEDED : STATUS_CANCELLED, undefined);
}

/** True when the call had a deadline and it has passed. */
function deadlinePassed(call: ServerCall): boolean {
  const deadline = typeof call.getDeadline === 'function' ? call.getDeadline() : undefined;
  const at = deadline instanceof Date ? deadline.getTime() : deadline;
  return typeof at === 'number' && Number.isFinite(at) && Date.now() >= at;
}

function onStreamError(this: WithState, err: unknown): void {
  const state = this[STATE];
  if (state !== undefined) endServerCall(state, statusOfError(err), err);
}

function onStreamFinish(this: WithState): void {
  const state = this[STATE];
  if (state !== undefined) endServerCall(state, STATUS_OK, undefined);
}

/** Ends the span once with the call's status: an error only for the server's own faults. */
function endServerCall(state: ServerCallState, code: number, err: unknown): void {
  if (state.ended) return;
  state.ended = true;
  const span = state.span;
  try {
    span.setAttribute(ATTR_RPC_GRPC_STATUS_CODE, code);
    if (isServerFault(code)) {
      if (err !== undefined) recordError(span, err);
      else span.setStatus({ code: SpanStatusCode.ERROR });
      span.setAttribute(ATTR_ERROR_TYPE, statusName(code));
    }
  } catch (e) {
    state.kit.fail(e, 'server call end');
  }
  span.end();
}
