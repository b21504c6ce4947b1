import { context, propagation } from '../../src/api-globals';
import { runSpan, type InstrumentationKit, type AnyFunction } from '../../src/instrument';
import { publishSpec, type AmqpProperties, type PublishCall } from './recipe';
import { amqpServer, type AmqpChannel } from './server';

/**
 * `Channel#publish(exchange, routingKey, content, options)` of both APIs (promise and
 * callback; `sendToQueue` and ConfirmChannel go through it): a PRODUCER span, and its
 * context injected into the message headers. The caller's options and headers objects are
 * never touched: the message is sent with copies.
 */
export function wrapPublish(kit: InstrumentationKit) {
  return (original: AnyFunction) =>
    function publish(this: AmqpChannel, ...args: unknown[]): unknown {
      if (!kit.active) return original.apply(this, args);
      const call: PublishCall = {
        server: amqpServer(this),
        exchange: args[0],
        routingKey: args[1],
        content: args[2],
        options: args[3] as AmqpProperties | undefined,
      };
      const spec = kit.safe(publishSpec, call);
      if (spec === undefined) return original.apply(this, args);
      return runSpan(kit, spec, () => {
        const options = kit.safe(withTraceHeaders, call.options);
        if (options !== undefined) args[3] = options;
        return original.apply(this, args);
      });
    };
}

/**
 * Copies of `options` and its headers carrying the active (producer) context; `undefined`
 * when the propagators inject nothing (the message then goes out as the caller built it).
 */
export function withTraceHeaders(options: AmqpProperties | undefined): AmqpProperties | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  if (Object.keys(carrier).length === 0) return undefined;
  const headers = options?.headers;
  const merged = headers !== null && typeof headers === 'object' ? { ...(headers as object), ...carrier } : carrier;
  return { ...options, headers: merged };
}
