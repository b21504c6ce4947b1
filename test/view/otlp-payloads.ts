import * as generated from 'otlp-transformer/build/src/generated/root';
import type { ViewSpan } from '../../src/view/view-span';

/*
 * Export requests built and encoded by the official generated protobufjs code that
 * @opentelemetry/otlp-transformer ships, with the ViewSpans they must decode to.
 */

const RequestType = generated.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

const TRACE = '5b8efff798038103d269b633813fc60c';
const ROOT = 'eee19b7ec3c1b174';
const CHILD = 'eee19b7ec3c1b173';
const OTHER_TRACE = '0af7651916cd43dd8448eb211c80319c';

const hex = (s: string): Buffer => Buffer.from(s, 'hex');
const str = (key: string, v: string) => ({ key, value: { stringValue: v } });

/** A request with two resources, several scopes, every attribute value type, events, status and fields the viewer ignores. */
export function requestObject(): Record<string, unknown> {
  return {
    resourceSpans: [
      {
        resource: { attributes: [str('service.name', 'users'), str('host.name', 'box')], droppedAttributesCount: 1 },
        schemaUrl: 'https://opentelemetry.io/schemas/1.24.0',
        scopeSpans: [
          {
            scope: { name: 'waymark-http', version: '0.1.0', attributes: [str('ignored', 'yes')] },
            schemaUrl: 'https://opentelemetry.io/schemas/1.24.0',
            spans: [
              {
                traceId: hex(TRACE),
                spanId: hex(ROOT),
                traceState: 'congo=t61rcWkgMzE',
                flags: 0x301,
                name: 'GET /users/:id',
                kind: 2,
                startTimeUnixNano: '1700000000000000000',
                endTimeUnixNano: '1700000001530000123',
                attributes: [
                  str('http.route', '/users/:id'),
                  { key: 'http.response.status_code', value: { intValue: 500 } },
                  { key: 'negative', value: { intValue: -42 } },
                  { key: 'huge', value: { intValue: '9007199254740993' } },
                  { key: 'ratio', value: { doubleValue: 0.25 } },
                  { key: 'cached', value: { boolValue: false } },
                  { key: 'tags', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: 1 }, {}] } } },
                  { key: 'nested', value: { kvlistValue: { values: [str('k', 'v'), { key: 'deep', value: { kvlistValue: { values: [{ key: 'n', value: { doubleValue: -1.5 } }] } } }] } } },
                  { key: 'raw', value: { bytesValue: Buffer.from([0, 1, 254, 255]) } },
                  { key: 'empty' },
                ],
                droppedAttributesCount: 3,
                events: [{ timeUnixNano: '1700000000500000000', name: 'exception', attributes: [str('exception.message', 'boom')], droppedAttributesCount: 2 }],
                droppedEventsCount: 1,
                links: [{ traceId: hex(OTHER_TRACE), spanId: hex(CHILD), traceState: 'x=y', attributes: [str('l', 'm')], flags: 1 }],
                droppedLinksCount: 4,
                status: { code: 2, message: 'Unexpected token' },
              },
            ],
          },
          {
            scope: { name: 'waymark-pg', version: '' },
            spans: [
              {
                traceId: hex(TRACE),
                spanId: hex(CHILD),
                parentSpanId: hex(ROOT),
                name: 'SELECT users',
                kind: 3,
                startTimeUnixNano: '1700000000010000000',
                endTimeUnixNano: '1700000001500000000',
                attributes: [str('db.system.name', 'postgresql')],
              },
            ],
          },
        ],
      },
      {
        scopeSpans: [{ spans: [{ traceId: hex(OTHER_TRACE), spanId: hex(ROOT), name: 'no resource' }] }],
      },
    ],
  };
}

/** The request encoded by the official encoder. */
export function encodedRequest(obj: Record<string, unknown> = requestObject()): Uint8Array {
  return RequestType.encode(RequestType.fromObject(obj)).finish();
}

/** What the viewer must make of `requestObject()`. */
export function expectedSpans(): ViewSpan[] {
  const usersResource = { 'service.name': 'users', 'host.name': 'box' };
  return [
    {
      traceId: TRACE,
      spanId: ROOT,
      parentSpanId: '',
      name: 'GET /users/:id',
      kind: 2,
      service: 'users',
      startTimeUnixNano: '1700000000000000000',
      endTimeUnixNano: '1700000001530000123',
      status: { code: 2, message: 'Unexpected token' },
      attributes: {
        'http.route': '/users/:id',
        'http.response.status_code': 500,
        negative: -42,
        huge: '9007199254740993',
        ratio: 0.25,
        cached: false,
        tags: ['a', 1, null],
        nested: { k: 'v', deep: { n: -1.5 } },
        raw: 'AAH+/w==',
        empty: null,
      },
      events: [{ name: 'exception', timeUnixNano: '1700000000500000000', attributes: { 'exception.message': 'boom' } }],
      links: [{ traceId: OTHER_TRACE, spanId: CHILD, attributes: { l: 'm' } }],
      resource: usersResource,
      scope: { name: 'waymark-http', version: '0.1.0' },
    },
    {
      traceId: TRACE,
      spanId: CHILD,
      parentSpanId: ROOT,
      name: 'SELECT users',
      kind: 3,
      service: 'users',
      startTimeUnixNano: '1700000000010000000',
      endTimeUnixNano: '1700000001500000000',
      status: { code: 0, message: '' },
      attributes: { 'db.system.name': 'postgresql' },
      events: [],
      resource: usersResource,
      scope: { name: 'waymark-pg', version: '' },
    },
    {
      traceId: OTHER_TRACE,
      spanId: ROOT,
      parentSpanId: '',
      name: 'no resource',
      kind: 0,
      service: 'unknown_service',
      startTimeUnixNano: '0',
      endTimeUnixNano: '0',
      status: { code: 0, message: '' },
      attributes: {},
      events: [],
      resource: {},
      scope: { name: '', version: '' },
    },
  ];
}

/** Fixture ViewSpans as an export request object (one resource per service), for the official encoder. */
export function requestFromSpans(spans: readonly ViewSpan[]): Record<string, unknown> {
  const services = [...new Set(spans.map((s) => s.service))];
  return {
    resourceSpans: services.map((service) => ({
      resource: { attributes: [str('service.name', service)] },
      scopeSpans: [
        {
          scope: { name: 'fixture', version: '1.0.0' },
          spans: spans
            .filter((s) => s.service === service)
            .map((s) => ({
              traceId: hex(s.traceId),
              spanId: hex(s.spanId),
              parentSpanId: s.parentSpanId ? hex(s.parentSpanId) : undefined,
              name: s.name,
              kind: s.kind,
              startTimeUnixNano: s.startTimeUnixNano,
              endTimeUnixNano: s.endTimeUnixNano,
              status: s.status.code ? { code: s.status.code, message: s.status.message } : undefined,
            })),
        },
      ],
    })),
  };
}
