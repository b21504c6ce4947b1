import type { ServerResponse } from 'node:http';
import { ATTR_ERROR_TYPE, ERROR_TYPE_OTHER, recordError, SpanStatusCode } from '../../src/instrument';
import { endServerSpan } from './server';
import type { ServerState } from './state';

// A request listener that throws synchronously ends its span with the error. The wrapper
// sees the throw only from `finally`: catching and rethrowing would make Node's crash
// report point at the agent's rethrow (and print that line of the bundle) instead of the
// app's own `throw`. The error itself comes from 'uncaughtExceptionMonitor', which observes
// an uncaught exception without changing what happens to it and runs before any microtask;
// when a caller caught it instead, a microtask ends the span without the error object.

interface Pending {
  state: ServerState;
  res: ServerResponse;
}
const pending: Pending[] = [];
let monitoring = false;

/** Called from the emit wrapper's `finally` when the 'request' listeners threw. */
export function onRequestListenerThrew(state: ServerState, res: ServerResponse): void {
  try {
    if (!monitoring) {
      monitoring = true;
      process.on('uncaughtExceptionMonitor', recordUncaught);
    }
    const entry = { state, res };
    pending.push(entry);
    queueMicrotask(() => endCaught(entry));
  } catch (err) {
    state.kit.fail(err, 'server request error');
  }
}

function recordUncaught(err: unknown): void {
  for (const { state, res } of pending.splice(0)) {
    // recordError and endServerSpan never throw; a monitor that threw would replace the app's crash.
    recordError(state.span, err);
    state.errorRecorded = true;
    endServerSpan(state, res, false);
  }
}

function endCaught(entry: Pending): void {
  const at = pending.indexOf(entry);
  if (at === -1) return;
  pending.splice(at, 1);
  const { state, res } = entry;
  try {
    state.span.setStatus({ code: SpanStatusCode.ERROR, message: 'the request listener threw' });
    state.span.setAttribute(ATTR_ERROR_TYPE, ERROR_TYPE_OTHER);
  } catch (err) {
    state.kit.fail(err, 'server request error');
  }
  state.errorRecorded = true;
  endServerSpan(state, res, false);
}
