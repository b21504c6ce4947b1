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

// Each wrapper ends in one `source.emit.apply(this, arguments)` and touches `arguments`
// nowhere else, so V8 forwards the caller's arguments instead of allocating an object per
// emit (a request has several emits). The context is entered around that call only for
// events somebody listens to; the others, most of a request's events, need none.

/** Where a wrapper finds the `emit` it calls. */
export interface EmitSource {
  readonly emit: AnyFunction;
}

/**
 * The prototypes we wrap inherit `emit` from EventEmitter.prototype. Looked up there at
 * each call (one property load), an app's own later patch of EventEmitter.prototype.emit
 * still sees the events of http objects, as it does without the agent; a captured original
 * would skip it.
 */
export function emitSource(proto: object, original: AnyFunction): EmitSource {
  const parent = Object.getPrototypeOf(proto) as EmitSource | null;
  if (!Object.prototype.hasOwnProperty.call(proto, 'emit') && parent !== null && parent.emit === original) return parent;
  return { emit: original };
}

/** `ServerResponse.prototype.emit`: ends the server span on 'finish' / early 'close'. */
export function makeServerResponseEmit(source: EmitSource): AnyFunction {
  return function emit(this: ServerResponse, event: string | symbol) {
    const state = (this as WithState)[STATE] as ServerState | undefined;
    let token: ContextToken = NOT_ENTERED;
    if (state !== undefined) {
      if (event === 'finish') endServerSpan(state, this, true);
      else if (event === 'close') endServerSpan(state, this, this.writableFinished);
      if (this.listenerCount(event) !== 0) token = context.enter(state.ctx);
    }
    try {
      return source.emit.apply(this, arguments as unknown as unknown[]);
    } finally {
      if (token !== NOT_ENTERED) context.restore(token);
    }
  };
}

/** `IncomingMessage.prototype.emit`: context for both sides, end of a client response. */
export function makeIncomingMessageEmit(source: EmitSource): AnyFunction {
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
      return source.emit.apply(this, arguments as unknown as unknown[]);
    } finally {
      if (token !== NOT_ENTERED) context.restore(token);
    }
  };
}

/** `ClientRequest.prototype.emit`: response, errors and aborts of an outgoing request. */
export function makeClientRequestEmit(source: EmitSource): AnyFunction {
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
      return source.emit.apply(this, arguments as unknown as unknown[]);
    } finally {
      if (token !== NOT_ENTERED) context.restore(token);
    }
  };
}
