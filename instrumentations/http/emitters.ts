import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import type { EventEmitter } from 'node:events';
import type { Context } from '@opentelemetry/api';
import { runInContext } from '../../src/sdk/context-manager';
import { applyFunction } from '../../src/sdk/bind-function';
import type { AnyFunction } from '../../src/instrument/wrap';
import { endClientSpan, onClientResponse } from './client';
import { endServerSpan } from './server';
import { SIDE_CLIENT, STATE, type ClientState, type ServerState, type WithState } from './state';

// Node emits the events of a request and its response from the socket's async context,
// not the caller's: body parsers calling next() in 'end', response callbacks, 'finish'
// listeners would lose the trace. One patch of `emit` on each prototype runs a traced
// object's events in its request's context and ends spans; untraced objects pay a
// property miss. Cheaper than binding each emitter (a closure per listener).

/**
 * Emits in `ctx`. Called only for events somebody listens to (the others, most of a
 * request's events, are emitted as is by the callers without materializing `arguments`);
 * the context switch itself is skipped by AsyncLocalStorage#run when `ctx` is current.
 */
function emitIn(ctx: Context, original: AnyFunction, self: EventEmitter, args: IArguments): unknown {
  return runInContext(ctx, applyFunction, original, self, args);
}

/** `ServerResponse.prototype.emit`: ends the server span on 'finish' / early 'close'. */
export function makeServerResponseEmit(original: AnyFunction): AnyFunction {
  return function emit(this: ServerResponse, event: string | symbol) {
    const state = (this as WithState)[STATE] as ServerState | undefined;
    if (state === undefined) return original.apply(this, arguments as unknown as unknown[]);
    if (event === 'finish') endServerSpan(state, this, true);
    else if (event === 'close') endServerSpan(state, this, this.writableFinished);
    if (this.listenerCount(event) === 0) return original.apply(this, arguments as unknown as unknown[]);
    return emitIn(state.ctx, original, this, arguments);
  };
}

/** `IncomingMessage.prototype.emit`: context for both sides, end of a client response. */
export function makeIncomingMessageEmit(original: AnyFunction): AnyFunction {
  return function emit(this: IncomingMessage, event: string | symbol) {
    const state = (this as WithState)[STATE];
    if (state === undefined) return original.apply(this, arguments as unknown as unknown[]);
    if (state.side === SIDE_CLIENT && !state.ended) {
      if (event === 'end') endClientSpan(state, undefined, true);
      else if (event === 'error') endClientSpan(state, arguments[1], false);
      else if (event === 'close') endClientSpan(state, undefined, this.complete);
    }
    if (this.listenerCount(event) === 0) return original.apply(this, arguments as unknown as unknown[]);
    return emitIn(state.ctx, original, this, arguments);
  };
}

/** `ClientRequest.prototype.emit`: response, errors and aborts of an outgoing request. */
export function makeClientRequestEmit(original: AnyFunction): AnyFunction {
  return function emit(this: ClientRequest, event: string | symbol) {
    const state = (this as WithState)[STATE] as ClientState | undefined;
    if (state === undefined) return original.apply(this, arguments as unknown as unknown[]);
    if (!state.ended) {
      if (event === 'response') onClientResponse(state, arguments[1] as IncomingMessage);
      else if (event === 'error') endClientSpan(state, arguments[1], false);
      else if (event === 'close' && state.statusCode === 0) endClientSpan(state, undefined, false);
    }
    if (this.listenerCount(event) === 0) return original.apply(this, arguments as unknown as unknown[]);
    return emitIn(state.ctx, original, this, arguments);
  };
}
