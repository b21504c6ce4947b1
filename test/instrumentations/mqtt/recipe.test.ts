import { describe, expect, it } from 'vitest';
import { SpanKind } from '@opentelemetry/api';
import { processSpec, publishSpec } from '../../../instrumentations/mqtt/recipe';
import { subscriptionOf, topicMatches, MAX_FILTERS_TRIED } from '../../../instrumentations/mqtt/topic-filter';
import { deliveryParent, withTraceProperties } from '../../../instrumentations/mqtt/properties';
import { filterNames } from '../../../instrumentations/mqtt/client';
import { getSpan } from '../../../src/instrument';
import { inParent } from '../../helpers/spans';
import { startSdk } from '../../helpers/tracing';

startSdk();
const server = { address: 'broker', port: 1883 };

describe('mqtt topic filters', () => {
  it.each([
    ['a/+/c', 'a/b/c', true],
    ['a/+/c', 'a/b/d', false],
    ['a/#', 'a', true],
    ['a/#', 'a/b/c', true],
    ['#', 'x/y', true],
    ['+', 'x/y', false],
    ['+/+', '/x', true],
    ['#', '$SYS/uptime', false],
    ['$SYS/#', '$SYS/uptime', true],
    ['a/b', 'a/b', true],
    ['a/b', 'a/b/c', false],
  ])('%s matches %s: %s', (filter, topic, expected) => {
    expect(topicMatches(filter, topic)).toBe(expected);
  });

  it('prefers the topic itself, then the first matching filter; gives up past the bound', () => {
    expect(subscriptionOf(['a/#', 'a/b'], 'a/b')).toBe('a/b');
    expect(subscriptionOf(['x/+', 'a/#'], 'a/b')).toBe('a/#');
    expect(subscriptionOf(['x/+'], 'a/b')).toBeUndefined();
    const many = Array.from({ length: MAX_FILTERS_TRIED + 1 }, (_, i) => `f${i}/#`);
    expect(subscriptionOf(many, 'f0/x')).toBeUndefined();
    expect(filterNames('a')).toEqual(['a']);
    expect(filterNames(['a', 1, 'b'])).toEqual(['a', 'b']);
    expect(filterNames({ 'a/#': { qos: 1 } })).toEqual(['a/#']);
    expect(filterNames(undefined)).toEqual([]);
  });
});

describe('mqtt recipes', () => {
  it('publish: PRODUCER `publish <topic>`; a topic alias (empty topic) is named `publish`', () => {
    expect(publishSpec({ server, topic: 't/1', message: Buffer.from('abc') })).toEqual({
      name: 'publish t/1',
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.system': 'mqtt',
        'messaging.destination.name': 't/1',
        'messaging.operation.name': 'publish',
        'messaging.operation.type': 'send',
        'messaging.message.body.size': 3,
        'server.address': 'broker',
        'server.port': 1883,
      },
    });
    expect(publishSpec({ server, topic: '', message: 'x' }).name).toBe('publish');
  });

  it('process: CONSUMER named after the matched filter', () => {
    const spec = processSpec({ server, topic: 's/7/t', message: Buffer.alloc(2), filters: ['s/+/t'] });
    expect(spec.name).toBe('process s/+/t');
    expect(spec.kind).toBe(SpanKind.CONSUMER);
    expect(spec.attributes).toMatchObject({ 'messaging.destination.name': 's/7/t', 'messaging.destination.subscription.name': 's/+/t', 'messaging.message.body.size': 2 });
  });

  it('user properties: copies carry the context over the app\'s own; a packet without them has no parent', async () => {
    const opts = { qos: 1, properties: { contentType: 'text', userProperties: { a: '1', traceparent: 'app' } } };
    const before = JSON.stringify(opts);
    await inParent(async (parent) => {
      const ctx = (await import('../../../src/instrument')).context.active();
      const traced = withTraceProperties(opts, ctx)!;
      expect(JSON.stringify(opts)).toBe(before);
      const { traceId, spanId } = parent.spanContext();
      expect(traced).toEqual({ qos: 1, properties: { contentType: 'text', userProperties: { a: '1', traceparent: `00-${traceId}-${spanId}-03` } } });
      const back = deliveryParent({ properties: { userProperties: { traceparent: [`00-${traceId}-${spanId}-03`, 'x'] } } });
      expect(getSpan(back)?.spanContext().spanId).toBe(spanId);
    });
    expect(getSpan(deliveryParent({}))).toBeUndefined();
    expect(getSpan(deliveryParent(undefined))).toBeUndefined();
  });
});
