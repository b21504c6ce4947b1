import { describe, expect, it } from 'vitest';
import { SpanKind } from '@opentelemetry/api';
import { withTraceHeaders, type NatsHeaders } from '../../../instrumentations/nats/headers';
import { isSystemSubject, processSpec, publishSpec, requestSpec } from '../../../instrumentations/nats/recipe';
import { sourceOf } from '../../../instrumentations/nats/delivery';
import { startSdk } from '../../helpers/tracing';
import { inParent } from '../../helpers/spans';

startSdk();
const server = { address: 'nats.local', port: 4222 };

describe('nats recipes', () => {
  it('publish and request: PRODUCER `<operation> <subject>`, a reply inbox shown as (temporary)', () => {
    expect(publishSpec({ server, subject: 'orders.new', data: 'abc' })).toEqual({
      name: 'publish orders.new',
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.system': 'nats',
        'messaging.destination.name': 'orders.new',
        'messaging.operation.name': 'publish',
        'messaging.operation.type': 'send',
        'messaging.message.body.size': 3,
        'server.address': 'nats.local',
        'server.port': 4222,
      },
    });
    const reply = publishSpec({ server: { address: undefined, port: undefined }, subject: '_INBOX.abc.1', data: new Uint8Array(2) });
    expect(reply.name).toBe('publish (temporary)');
    expect(reply.attributes).toMatchObject({ 'messaging.destination.temporary': true, 'messaging.message.body.size': 2 });
    expect(reply.attributes).not.toHaveProperty('server.address');
    expect(requestSpec({ server, subject: 'svc.time', data: undefined }).name).toBe('request svc.time');
  });

  it('process: CONSUMER named after the subscription (the pattern), the message subject as destination', () => {
    const spec = processSpec({ server, subject: 'orders.42', subscription: 'orders.*', group: 'workers', data: new Uint8Array(5) });
    expect(spec.name).toBe('process orders.*');
    expect(spec.kind).toBe(SpanKind.CONSUMER);
    expect(spec.attributes).toMatchObject({
      'messaging.destination.name': 'orders.42',
      'messaging.destination.subscription.name': 'orders.*',
      'messaging.consumer.group.name': 'workers',
      'messaging.operation.type': 'process',
    });
    const js = processSpec({ server, subject: 'orders.42', subscription: undefined, group: undefined, data: undefined });
    expect(js.name).toBe('process orders.42');
    expect(js.attributes).not.toHaveProperty('messaging.destination.subscription.name');
  });

  it('system subjects and inboxes are plumbing: no source for their subscriptions', () => {
    expect(isSystemSubject('$JS.API.STREAM.INFO.x')).toBe(true);
    expect(isSystemSubject('orders')).toBe(false);
    const protocol = {};
    expect(sourceOf({ subject: '_INBOX.x.*', protocol })).toBeUndefined();
    expect(sourceOf({ subject: '$SRV.PING', protocol })).toBeUndefined();
    expect(sourceOf({ subject: 'orders', protocol, queue: 'q' })).toMatchObject({ subscription: 'orders', group: 'q' });
    expect(sourceOf({})).toBeUndefined();
  });

  it('trace headers: appended to the app\'s encoded block, which is left as it was; none without a span', async () => {
    const own: NatsHeaders = { get: () => '', keys: () => ['x-app'], encode: () => new TextEncoder().encode('NATS/1.0\r\nx-app: 1\r\n\r\n') };
    expect(withTraceHeaders({ headers: own })).toBeUndefined();
    await inParent(async (parent) => {
      const traced = withTraceHeaders({ reply: 'r', headers: own })!;
      expect(traced.reply).toBe('r');
      const encoded = new TextDecoder().decode(traced.headers!.encode());
      const { traceId, spanId } = parent.spanContext();
      expect(encoded).toBe(`NATS/1.0\r\nx-app: 1\r\ntraceparent: 00-${traceId}-${spanId}-03\r\n\r\n`);
      const bare = new TextDecoder().decode(withTraceHeaders(undefined)!.headers!.encode());
      expect(bare).toBe(`NATS/1.0\r\ntraceparent: 00-${traceId}-${spanId}-03\r\n\r\n`);
    });
  });
});
