import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import { context, NOT_ENTERED, type AnyFunction, type ContextToken } from '../../src/instrument';
import { endClientSpan, onClientResponse } from './client';
import { endServerSpan } from './server';
import { SIDE_CLIENT, STATE, type ClientState, type ServerState, type WithState } from './state';

// Node emits the events of a request and its response from the socket's async context,
// not the caller's: body parsers calling next() in 'end', response callbacks, 'finish'
// listeners would lose the trace. One patch of `emit` on each prototype runs a traced
// object's events in its request's context and ends spans; untraced objects pay a
// property miss. Cheaper than binding each emitter (a closure per listener).

// Each wrapper ends in one `original.apply(this, arguments)` and touches `arguments`
// nowhere else, so V8 forwards the caller's arguments instead of allocating an object per
// emit (a request has several emits). The context is entered around that call only for
// events somebody listens to; the others, most of a request's events, need none.

/** `ServerResponse.prototype.emit`: ends the server span on 'finish' / early 'close'. */
export function makeServerResponseEmit(original: AnyFunction): AnyFunction {
  return function emit(this: ServerResponse, event: string | symbol) {
    const state = (this as WithState)[STATE] as ServerState | undefined;
    let token: ContextToken = NOT_ENTERED;
    if (state !== undefined) {
      if (event === 'finish') endServerSpan(state, this, true);
      else if (event === 'close') endServerSpan(state, this, this.writableFinished);
      if (this.listenerCount(event) !== 0) token = context.enter(state.ctx);
    }
    try {
      return original.apply(this, arguments as unknown as unknown[]);
    } finally {
      if (token !== NOT_ENTERED) context.restore(token);
    }
  };
}

/** `IncomingMessage.prototype.emit`: context for both sides, end of a client response. */
export function makeIncomingMessageEmit(original: AnyFunction): AnyFunction {
  return function emit(this: IncomingMessage, event: string | symbol, error?: unknown) {
    const state = (this as WithState)[STATE];
    let token: ContextToken = NOT_ENTERED;
    if (state !== undefined) {
      if (state.side === SIDE_CLIENT && !state.ended) {
        if (event === 'end') endClientSpan(state, undefined, true);
        else if (event === 'error') endClientSpan(state, error, false);
        else if (event === 'close') endClientSpan(state, undefined, this.complete);
      }
      if (this.listenerCount(event) !== 0) token = context.enter(state.ctx);
    }
    try {
      return original.apply(this, arguments as unknown as unknown[]);
    } finally {
      if (token !== NOT_ENTERED) context.restore(token);
    }
  };
}

/** `ClientRequest.prototype.emit`: response, errors and aborts of an outgoing request. */
export function makeClientRequestEmit(original: AnyFunction): AnyFunction {
  return function emit(this: ClientRequest, event: string | symbol, value?: unknown) {
    const state = (this as WithState)[STATE] as ClientState | undefined;
    let token: ContextToken = NOT_ENTERED;
    if (state !== undefined) {
      if (!state.ended) {
        if (event === 'response') onClientResponse(state, value as IncomingMessage);
        else if (event === 'error') endClientSpan(state, value, false);
        else if (event === 'close' && state.statusCode === 0) endClientSpan(state, undefined, false);
      }
      if (this.listenerCount(event) !== 0) token = context.enter(state.ctx);
    }
    try {
      return original.apply(this, arguments as unknown as unknown[]);
    } finally {
      if (token !== NOT_ENTERED) context.restore(token);
    }
  };
}
