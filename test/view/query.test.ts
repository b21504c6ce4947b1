import { describe, expect, it } from 'vitest';
import { formatSpanList, formatTraceList } from '../../src/view/format-query';
import { allSpans, groupTraces, spansOfService, topSelfTime, tracesSlowerThan, tracesWithErrors } from '../../src/view/query';
import { failingRequest, slowRequest, span } from './fixtures';

const FAST = 'ffffffffffffffffffffffffffffffff';
const fast = span({ traceId: FAST, id: 'f', service: 'gateway', name: 'GET /health', kind: 2, start: 2000, end: 2003 });
const traces = groupTraces([...failingRequest(), fast, ...slowRequest()]);
const ids = (ts: Array<{ traceId: string }>): string[] => ts.map((t) => t.traceId);

describe('queries over stored spans', () => {
  it('groups spans into traces, earliest first', () => {
    expect(ids(traces)).toEqual(['4bf92f3577b34da6a3ce929d0e0e4736', 'a1b2c3d4e5f60718293a4b5c6d7e8f90', FAST]);
    expect(traces.map((t) => t.spanCount)).toEqual([10, 4, 1]);
  });

  it('traces slower than a duration (strictly)', () => {
    expect(ids(tracesSlowerThan(traces, 1e9))).toEqual(['4bf92f3577b34da6a3ce929d0e0e4736']);
    expect(ids(tracesSlowerThan(traces, 3e6))).toEqual(['4bf92f3577b34da6a3ce929d0e0e4736', 'a1b2c3d4e5f60718293a4b5c6d7e8f90']);
    expect(tracesSlowerThan(traces, 2e9)).toEqual([]);
  });

  it('traces with errors', () => {
    expect(ids(tracesWithErrors(traces))).toEqual(['a1b2c3d4e5f60718293a4b5c6d7e8f90']);
  });

  it('spans of one service', () => {
    const hits = spansOfService(traces, 'auth');
    expect(hits.map((h) => h.node.span.name)).toEqual(['POST /validate']);
    expect(spansOfService(traces, 'users')).toHaveLength(7);
    expect(spansOfService(traces, 'nobody')).toEqual([]);
  });

  it('the spans with the most self time', () => {
    const top = topSelfTime(allSpans(traces), 4);
    expect(top.map((h) => [h.node.span.service, h.node.span.name, h.selfNs / 1e6])).toEqual([
      ['users', 'SELECT users', 1490],
      ['users', 'SELECT users', 21],
      // 8 ms each; the stable sort keeps trace order on ties.
      ['auth', 'POST /validate', 8],
      ['users', 'GET /users/:id', 8],
    ]);
    expect(topSelfTime(allSpans(traces), 0)).toEqual([]);
  });

  it('formats traces as an aligned table (exact)', () => {
    expect(formatTraceList(traces)).toBe(
      [
        'DURATION  TRACE                             ROOT                        SPANS  ERRORS',
        '  1.53 s  4bf92f3577b34da6a3ce929d0e0e4736  gateway GET /api/users/:id     10',
        ' 40.0 ms  a1b2c3d4e5f60718293a4b5c6d7e8f90  gateway GET /api/users/:id      4  ✗ 3',
        ' 3.00 ms  ffffffffffffffffffffffffffffffff  gateway GET /health             1',
        '3 traces',
        '',
      ].join('\n'),
    );
    expect(formatTraceList([])).toBe('no matching traces\n');
  });

  it('formats spans with self and total time (exact)', () => {
    expect(formatSpanList(topSelfTime(allSpans(traces), 2))).toBe(
      [
        '   SELF    TOTAL  SERVICE  SPAN          TRACE',
        ' 1.49 s   1.49 s  users    SELECT users  4bf92f3577b34da6a3ce929d0e0e4736',
        '21.0 ms  21.0 ms  users    SELECT users  a1b2c3d4e5f60718293a4b5c6d7e8f90',
        '2 spans',
        '',
      ].join('\n'),
    );
  });
});
