import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { randomBytes } from 'node:crypto';
import { epochNanos } from '../../../src/clock';
import type { InstrumentationScope, Resource, SpanRecord } from '../../../src/export/span-record';

/** Plain-object span records for exporter tests (the live Span class is not needed). */

export const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

export const RESOURCE: Resource = {
  attributes: {
    'service.name': 'checkout',
    'service.version': '1.2.3',
    'process.pid': 4242,
    'telemetry.sdk.language': 'nodejs',
  },
};

export const HTTP_SCOPE: InstrumentationScope = { name: 'waymark-http', version: '0.1.0' };

/** A SERVER span with a remote parent; override anything. Times are clock units (ms). */
export function makeSpan(overrides: Partial<SpanRecord> = {}): SpanRecord {
  return {
    name: 'GET /users/:id',
    kind: SpanKind.SERVER,
    traceId: hex(16),
    spanId: hex(8),
    parentSpanId: hex(8),
    parentIsRemote: true,
    traceFlags: 1,
    traceState: undefined,
    startTime: 1000.25,
    endTime: 1012.5,
    attributes: { 'http.request.method': 'GET', 'http.response.status_code': 200 },
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status: { code: SpanStatusCode.UNSET },
    scope: HTTP_SCOPE,
    ...overrides,
  };
}

/** Epoch nanoseconds as the decimal string a decoder shows for a fixed64. */
export const nanosString = (t: number): string => epochNanos(t).toString();
