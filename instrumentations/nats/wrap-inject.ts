import { context, type AnyFunction, type InstrumentationKit } from '../../src/instrument';
import { withTraceHeaders, type PublishOptions } from './headers';
import { insideSend } from './own-spans';
import type { NatsProtocol } from './server';

/**
 * `ProtocolHandler#publish(subject, payload, options)`: every message of the connection goes
 * out here (publish, request, JetStream publish). Under one of our send spans the message is
 * sent with a copy of `options` whose headers carry that span's context. Only when the
 * server announced header support: an older server would reject the message.
 */
export function wrapInject(kit: InstrumentationKit) {
  return (original: AnyFunction) =>
    function publish(this: NatsProtocol, subject?: unknown, payload?: unknown, options?: PublishOptions): unknown {
      if (!kit.active) return original.apply(this, arguments as never);
      const active = context.active();
      if (!insideSend(active) || this.info?.headers !== true) return original.apply(this, arguments as never);
      const traced = kit.safe2(withTraceHeaders, options, active);
      if (traced === undefined) return original.apply(this, arguments as never);
      return original.call(this, subject, payload, traced);
    };
}
