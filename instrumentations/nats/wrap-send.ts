import { context, startCall, traceCall, type AnyFunction, type InstrumentationKit, type SpanSpec } from '../../src/instrument';
import { insideSend, markSend } from './own-spans';
import { isSystemSubject, type SendCall } from './recipe';
import { natsServer, type NatsProtocol } from './server';

/** What we read of a connection (`NatsConnectionImpl`) or a JetStream client (its `nc`). */
export interface NatsSender {
  readonly protocol?: NatsProtocol;
  readonly nc?: { readonly protocol?: NatsProtocol };
}

function serverOf(self: NatsSender) {
  return natsServer(self.protocol ?? self.nc?.protocol);
}

function readSend(a: { self: NatsSender; args: IArguments }): SendCall {
  return { server: serverOf(a.self), subject: a.args[0], data: a.args[1] };
}

/**
 * `publish(subject, data, opts)` / `request(subject, data, opts)` of a connection and
 * `publish(subject, data, opts)` of a JetStream client: the span of the send, active while
 * the library runs (the protocol handler injects its context into the message headers).
 * A send inside one of ours (a request's publish, a JetStream publish's request) makes no
 * span, nor does one to a system subject (`$JS.API.…`). Returns exactly what the library
 * returns; a rejection or throw is recorded.
 */
export function wrapSend(kit: InstrumentationKit, recipe: (call: SendCall) => SpanSpec) {
  const spec = (a: { self: NatsSender; args: IArguments }): SpanSpec => recipe(readSend(a));
  return (original: AnyFunction) =>
    function send(this: NatsSender): unknown {
      if (!kit.active) return original.apply(this, arguments as never);
      const parent = context.active();
      if (insideSend(parent) || isSystemSubject(arguments[0])) return original.apply(this, arguments as never);
      const s = kit.safe(spec, { self: this, args: arguments });
      if (s === undefined) return original.apply(this, arguments as never);
      const call = startCall(kit, s, parent);
      markSend(call.span);
      return traceCall(call, original, this, Array.prototype.slice.call(arguments));
    };
}
