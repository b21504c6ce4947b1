import { describe, expect, it } from 'vitest';
import { ROOT_CONTEXT, SpanKind, context, propagation, trace } from '@opentelemetry/api';
import { destinationLabel, processSpec, publishSpec } from '../../../instrumentations/amqplib/recipe';
import { deliveryParent } from '../../../instrumentations/amqplib/consume';
import { withTraceHeaders } from '../../../instrumentations/amqplib/publish';
import { startSdk } from '../../helpers/tracing';

// Pure recipes and the header carrier, with plain objects.
startSdk(); // registers the W3C propagator and the context manager
const server = { address: 'broker', port: 5672 };

describe('destinationLabel', () => {
  it.each([
    ['orders', 'created', 'orders'],
    ['', 'work-queue', 'work-queue'],
    ['', '', '(default)'],
    ['', 'amq.gen-JzTY20BRgKO-HjmUJj0wLg', '(anonymous)'],
    ['', 'amq.rabbitmq.reply-to.g1h2AA5yZXBseUAyNzQ3.Z8lmUk0Q', 'amq.rabbitmq.reply-to'],
  ])('exchange %j, routing key %j -> %s', (exchange, routingKey, label) => {
    expect(destinationLabel(exchange, routingKey)).toBe(label);
  });
});

describe('publishSpec / processSpec', () => {
  it('publish to the default exchange', () => {
    const spec = publishSpec({ server, exchange: '', routingKey: 'jobs', content: Buffer.from('abc'), options: { messageId: 7 } });
    expect(spec).toEqual({
      name: 'publish jobs',
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.system': 'rabbitmq',
        'messaging.destination.name': '',
        'messaging.rabbitmq.destination.routing_key': 'jobs',
        'messaging.message.id': '7',
        'server.address': 'broker',
        'server.port': 5672,
        'messaging.operation.name': 'publish',
        'messaging.operation.type': 'send',
        'messaging.message.body.size': 3,
      },
    });
  });

  it('process of a delivery from a topic exchange, with an empty routing key omitted', () => {
    const spec = processSpec({
      server: { address: undefined, port: undefined },
      message: { content: Buffer.alloc(10), fields: { exchange: 'events', routingKey: '', deliveryTag: 3 }, properties: {} },
    });
    expect(spec.name).toBe('process events');
    expect(spec.kind).toBe(SpanKind.CONSUMER);
    expect(spec.attributes).toEqual({
      'messaging.system': 'rabbitmq',
      'messaging.destination.name': 'events',
      'messaging.operation.name': 'process',
      'messaging.operation.type': 'process',
      'messaging.message.body.size': 10,
      'messaging.rabbitmq.message.delivery_tag': 3,
    });
  });

  it('marks server-named queues anonymous', () => {
    const spec = publishSpec({ server, exchange: '', routingKey: 'amq.gen-abc', content: 'not a buffer', options: undefined });
    expect(spec.name).toBe('publish (anonymous)');
    expect(spec.attributes!['messaging.destination.anonymous']).toBe(true);
    expect(spec.attributes!['messaging.message.body.size']).toBeUndefined();
  });
});

describe('trace headers', () => {
  const spanContext = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 };

  it('withTraceHeaders copies options and headers, never mutating them', () => {
    const options = Object.freeze({ persistent: true, headers: Object.freeze({ a: 1 }) });
    const out = context.with(trace.setSpanContext(ROOT_CONTEXT, spanContext), () => withTraceHeaders(options));
    expect(out).toEqual({ persistent: true, headers: { a: 1, traceparent: `00-${spanContext.traceId}-${spanContext.spanId}-01` } });
    expect(options.headers).toEqual({ a: 1 });
    expect(withTraceHeaders(undefined)).toBeUndefined(); // nothing to inject outside a span
  });

  it('deliveryParent reads string and Buffer headers, and falls back to a new trace', () => {
    const tp = `00-${spanContext.traceId}-${spanContext.spanId}-01`;
    for (const value of [tp, Buffer.from(tp)]) {
      const parent = trace.getSpanContext(deliveryParent({ properties: { headers: { traceparent: value } } }));
      expect(parent).toMatchObject({ ...spanContext, isRemote: true });
    }
    expect(trace.getSpanContext(deliveryParent({ properties: {} }))).toBeUndefined();
    expect(trace.getSpanContext(deliveryParent({ properties: { headers: { traceparent: 'garbage' } } }))).toBeUndefined();
    expect(propagation.fields()).toContain('traceparent');
  });
});
