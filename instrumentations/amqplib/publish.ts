import {
  context,
  propagation,
  setSpan,
  startCall,
  traceCall,
  type AnyFunction,
  type Context,
  type InstrumentationKit,
} from '../../src/instrument';
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
      const message: PublishCall = {
        server: amqpServer(this),
        exchange: args[0],
        routingKey: args[1],
        content: args[2],
        options: args[3] as AmqpProperties | undefined,
      };
      const spec = kit.safe(publishSpec, message);
      if (spec === undefined) return original.apply(this, args);
      const call = startCall(kit, spec, context.active());
      const options = kit.safe2(withTraceHeaders, message.options, setSpan(call.parent, call.span));
      if (options !== undefined) args[3] = options;
      return traceCall(call, original, this, args);
    };
}

/**
 * Copies of `options` and its headers carrying `producer` (default: the active context);
 * `undefined` when the propagators inject nothing (the message then goes out as the caller
 * built it).
 */
export function withTraceHeaders(options: AmqpProperties | undefined, producer: Context = context.active()): AmqpProperties | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(producer, carrier);
  if (Object.keys(carrier).length === 0) return undefined;
  const headers = options?.headers;
  const merged = headers !== null && typeof headers === 'object' ? { ...(headers as object), ...carrier } : carrier;
  return { ...options, headers: merged };
}
