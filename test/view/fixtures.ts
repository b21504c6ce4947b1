import type { ViewSpan } from '../../src/view/view-span';

/** Epoch of the hand-made traces: 2023-11-14T22:13:20Z, in nanoseconds. */
export const T0 = 1_700_000_000_000_000_000n;
export const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

export interface SpanSpec {
  id: string;
  parent?: string;
  service: string;
  name: string;
  /** Milliseconds after T0 (fractions allowed). */
  start: number;
  end: number;
  kind?: number;
  error?: string;
  traceId?: string;
  attributes?: ViewSpan['attributes'];
}

/** Span ids in fixtures are short labels, padded to 16 hex digits. */
export function spanId(label: string): string {
  return Buffer.from(label).toString('hex').padStart(16, '0').slice(-16);
}

function nanos(ms: number): string {
  return (T0 + BigInt(Math.round(ms * 1e6))).toString();
}

/** A ViewSpan from a compact description. */
export function span(spec: SpanSpec): ViewSpan {
  return {
    traceId: spec.traceId ?? TRACE_ID,
    spanId: spanId(spec.id),
    parentSpanId: spec.parent ? spanId(spec.parent) : '',
    name: spec.name,
    kind: spec.kind ?? 1,
    service: spec.service,
    startTimeUnixNano: nanos(spec.start),
    endTimeUnixNano: nanos(spec.end),
    status: spec.error === undefined ? { code: 0, message: '' } : { code: 2, message: spec.error },
    attributes: spec.attributes ?? {},
    events: [],
    resource: { 'service.name': spec.service },
    scope: { name: 'fixture', version: '1.0.0' },
  };
}

/**
 * The tutorial's slow request: gateway → auth (token) and gateway → users → database,
 * where one query takes 1.49 s of a 1.53 s request.
 */
export function slowRequest(traceId = TRACE_ID): ViewSpan[] {
  const s = (spec: SpanSpec): ViewSpan => span({ ...spec, traceId });
  return [
    s({ id: 'gw', service: 'gateway', name: 'GET /api/users/:id', kind: 2, start: 0, end: 1530 }),
    s({ id: 'gw-auth', parent: 'gw', service: 'gateway', name: 'POST', kind: 3, start: 2, end: 16 }),
    s({ id: 'auth', parent: 'gw-auth', service: 'auth', name: 'POST /validate', kind: 2, start: 4, end: 12 }),
    // Runs alongside the users call, so it is off the critical path.
    s({ id: 'audit', parent: 'gw', service: 'gateway', name: 'audit.write', kind: 1, start: 17, end: 19.25 }),
    s({ id: 'gw-users', parent: 'gw', service: 'gateway', name: 'GET', kind: 3, start: 18, end: 1528 }),
    s({ id: 'users', parent: 'gw-users', service: 'users', name: 'GET /users/:id', kind: 2, start: 20, end: 1524 }),
    s({ id: 'cache-get', parent: 'users', service: 'users', name: 'GET', kind: 3, start: 20.5, end: 21 }),
    s({ id: 'connect', parent: 'users', service: 'users', name: 'pg.connect', kind: 3, start: 21, end: 23 }),
    s({ id: 'select', parent: 'users', service: 'users', name: 'SELECT users', kind: 3, start: 24, end: 1514 }),
    s({ id: 'cache-set', parent: 'users', service: 'users', name: 'SET', kind: 3, start: 1515, end: 1520 }),
  ];
}

/** A failing request: the users service answers 500 after a fast query. */
export function failingRequest(traceId = 'a1b2c3d4e5f60718293a4b5c6d7e8f90'): ViewSpan[] {
  const s = (spec: SpanSpec): ViewSpan => span({ ...spec, traceId });
  return [
    s({ id: 'gw', service: 'gateway', name: 'GET /api/users/:id', kind: 2, start: 0, end: 40, error: '' }),
    s({ id: 'gw-users', parent: 'gw', service: 'gateway', name: 'GET', kind: 3, start: 5, end: 38, error: 'HTTP 500' }),
    s({ id: 'users', parent: 'gw-users', service: 'users', name: 'GET /users/:id', kind: 2, start: 7, end: 36, error: 'Unexpected token } in JSON' }),
    s({ id: 'select', parent: 'users', service: 'users', name: 'SELECT users', kind: 3, start: 9, end: 30 }),
  ];
}
