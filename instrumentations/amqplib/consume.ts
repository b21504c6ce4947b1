import {
  propagation,
  ROOT_CONTEXT,
  startCall,
  traceCall,
  type AnyFunction,
  type Context,
  type InstrumentationKit,
  type TextMapGetter,
} from '../../src/instrument';
import { processSpec, type AmqpMessage } from './recipe';
import { amqpServer, type AmqpChannel } from './server';

/** Reads trace headers from an AMQP headers table (long strings may arrive as Buffers). */
const headerGetter: TextMapGetter<Record<string, unknown>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const v = carrier[key];
    if (typeof v === 'string') return v;
    return Buffer.isBuffer(v) ? v.toString('utf8') : undefined;
  },
};

/**
 * The parent of a delivery's CONSUMER span: the producer's context from the message headers
 * (so a message carries its trace across processes), else a new trace. Never the context
 * that happened to be active when the connection was opened.
 */
export function deliveryParent(message: AmqpMessage): Context {
  const headers = message.properties?.headers;
  if (headers === null || typeof headers !== 'object') return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, headers as Record<string, unknown>, headerGetter);
}

function tracedConsumer(kit: InstrumentationKit, channel: AmqpChannel, callback: AnyFunction): AnyFunction {
  return function consumer(this: unknown, ...args: unknown[]): unknown {
    const message = args[0] as AmqpMessage | null;
    // `null` is the broker cancelling the consumer: not a message.
    if (!kit.active || message === null || typeof message !== 'object') return callback.apply(this, args);
    const spec = kit.safe(processSpec, { server: amqpServer(channel), message });
    if (spec === undefined) return callback.apply(this, args);
    const parent = kit.safe(deliveryParent, message) ?? ROOT_CONTEXT;
    return traceCall(startCall(kit, spec, parent), callback, this, args);
  };
}

/**
 * `Channel#consume(queue, callback, ...)` of both APIs: the callback is replaced by one that
 * runs each delivery inside a CONSUMER span, active while the user's callback runs (and
 * until its promise settles, when it returns one).
 */
export function wrapConsume(kit: InstrumentationKit) {
  return (original: AnyFunction) =>
    function consume(this: AmqpChannel, ...args: unknown[]): unknown {
      if (kit.active && typeof args[1] === 'function') args[1] = tracedConsumer(kit, this, args[1] as AnyFunction);
      return original.apply(this, args);
    };
}
