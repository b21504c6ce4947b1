import { describe, expect, it } from 'vitest';
import { buildServiceMap, percentile } from '../../src/view/service-map';
import { parseTags, parseTraceQuery, QueryError } from '../../src/view/trace-query';
import { TraceStore } from '../../src/view/trace-store';
import { failingRequest, slowRequest, span, T0 } from './fixtures';

const SLOW = '4bf92f3577b34da6a3ce929d0e0e4736';
const FAILING = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

function store(): TraceStore {
  const s = new TraceStore();
  s.add([...slowRequest(), ...failingRequest()]);
  return s;
}

const search = (s: TraceStore, query: string) => s.search(parseTraceQuery(new URLSearchParams(query))).traces.map((t) => t.traceId);

describe('TraceStore.search (Jaeger semantics: one span meets every span condition)', () => {
  it('summarizes a trace by its root: name, services with span counts, duration, errors', () => {
    const [slow] = store().search(parseTraceQuery(new URLSearchParams('minDuration=1s'))).traces;
    expect(slow).toMatchObject({
      traceId: SLOW,
      rootService: 'gateway',
      rootName: 'GET /api/users/:id',
      durationNs: 1530e6,
      spanCount: 10,
      errorCount: 0,
      hasRoot: true,
      startTimeUnixNano: T0.toString(),
      services: [
        { name: 'gateway', spanCount: 4 },
        { name: 'auth', spanCount: 1 },
        { name: 'users', spanCount: 5 },
      ],
    });
    expect(slow!.startMs).toBe(Number(T0 / 1_000_000n));
  });

  it('service users with a duration over 1 s finds the slow trace only', () => {
    expect(search(store(), 'service=users&minDuration=1s')).toEqual([SLOW]);
    expect(search(store(), 'service=auth&minDuration=1s')).toEqual([]);
  });

  it('error=true finds the failed trace; error=false the traces with a span that did not fail', () => {
    expect(search(store(), 'tags=error%3Dtrue')).toEqual([FAILING]);
    expect(search(store(), 'tags=' + encodeURIComponent('{"error":"true"}'))).toEqual([FAILING]);
    expect(search(store(), 'service=auth&tags=error%3Dfalse')).toEqual([SLOW]);
  });

  it('operation, attribute tags, maxDuration, time range and limit', () => {
    const s = new TraceStore();
    const t1 = 'c'.repeat(32);
    s.add([...slowRequest(), ...failingRequest(), span({ id: 'x', service: 'auth', name: 'POST /login', start: 5000, end: 5001, traceId: t1, attributes: { 'http.response.status_code': 401 } })]);
    expect(search(s, 'service=users&operation=SELECT%20users')).toEqual([FAILING, SLOW].sort());
    expect(search(s, 'tag=http.response.status_code%3D401')).toEqual([t1]);
    expect(search(s, 'maxDuration=1ms')).toEqual([t1, SLOW]);
    const t0Micros = Number(T0 / 1000n);
    expect(search(s, `start=${t0Micros + 1_000_000}`)).toEqual([t1]);
    expect(search(s, `end=${t0Micros + 1_000_000}`).sort()).toEqual([FAILING, SLOW].sort());
    expect(search(s, 'limit=1')).toEqual([t1]);
    expect(s.search(parseTraceQuery(new URLSearchParams('limit=1'))).total).toBe(3);
  });

  it('lists the latest trace first', () => {
    const s = new TraceStore();
    s.add(slowRequest('1'.repeat(32)).map((x) => ({ ...x, startTimeUnixNano: (BigInt(x.startTimeUnixNano) + 10n ** 10n).toString(), endTimeUnixNano: (BigInt(x.endTimeUnixNano) + 10n ** 10n).toString() })));
    s.add(slowRequest('2'.repeat(32)));
    expect(search(s, '')).toEqual(['1'.repeat(32), '2'.repeat(32)]);
  });

  it('a trace without its root is summarized by its longest orphan and its whole span', () => {
    const s = new TraceStore();
    s.add(slowRequest().slice(1));
    const [t] = s.search(parseTraceQuery(new URLSearchParams())).traces;
    expect(t).toMatchObject({ hasRoot: false, rootService: 'gateway', rootName: 'GET', durationNs: 1526e6, spanCount: 9 });
  });
});

describe('TraceStore bound', () => {
  it('evicts the traces that arrived first, whole, and counts them', () => {
    const s = new TraceStore(25);
    const ids = ['1', '2', '3'].map((d) => d.repeat(32));
    for (const id of ids) s.add(slowRequest(id));
    expect(s.stats).toMatchObject({ traces: 2, spans: 20, evictedTraces: 1, evictedSpans: 10, maxSpans: 25 });
    expect(s.trace(ids[0]!)).toBeUndefined();
    expect(s.trace(ids[2]!)).toHaveLength(10);
    expect(s.services().find((x) => x.name === 'auth')?.spanCount).toBe(2);
  });

  it('a span received twice counts once', () => {
    const s = new TraceStore();
    s.add(slowRequest());
    s.add(slowRequest());
    expect(s.stats).toMatchObject({ traces: 1, spans: 10 });
    expect(s.services().map((x) => [x.name, x.spanCount])).toEqual([
      ['auth', 1],
      ['gateway', 4],
      ['users', 5],
    ]);
  });

  it('lists services with their operations', () => {
    expect(store().services().find((x) => x.name === 'users')?.operations).toEqual(['GET', 'GET /users/:id', 'SELECT users', 'SET', 'pg.connect']);
  });
});

describe('parseTraceQuery', () => {
  it('refuses what it cannot read, with the parameter named', () => {
    expect(() => parseTraceQuery(new URLSearchParams('minDuration=fast'))).toThrow(/minDuration must be a duration/);
    expect(() => parseTraceQuery(new URLSearchParams('limit=0'))).toThrow(QueryError);
    expect(() => parseTraceQuery(new URLSearchParams('start=yesterday'))).toThrow(/start must be epoch microseconds/);
    expect(() => parseTags('error')).toThrow(/key=value/);
  });

  it('reads lookback relative to now', () => {
    expect(parseTraceQuery(new URLSearchParams('lookback=1h'), 10_000_000).startMicros).toBe(10_000_000_000 - 3600e6);
  });

  it('keeps `=` inside a tag value', () => {
    expect(parseTags('q=a=b error=true')).toEqual([
      ['q', 'a=b'],
      ['error', 'true'],
    ]);
  });
});

describe('buildServiceMap', () => {
  it('counts calls that cross services, with error rates and the called span latency', () => {
    const map = buildServiceMap([slowRequest(), failingRequest()]);
    expect(map.services).toEqual([
      { name: 'auth', spanCount: 1, errorCount: 0 },
      { name: 'gateway', spanCount: 6, errorCount: 2 },
      { name: 'users', spanCount: 7, errorCount: 1 },
    ]);
    expect(map.calls).toEqual([
      { from: 'gateway', to: 'auth', count: 1, errorCount: 0, errorRate: 0, p50Ns: 8e6, p99Ns: 8e6 },
      { from: 'gateway', to: 'users', count: 2, errorCount: 1, errorRate: 0.5, p50Ns: 29e6, p99Ns: 1504e6 },
    ]);
  });

  it('percentile is nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 0.5)).toBe(50);
    expect(percentile(values, 0.99)).toBe(99);
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([], 0.5)).toBe(0);
  });
});
