import { describe, expect, it } from 'vitest';
import { TraceAssembler } from '../../src/view/trace-assembler';
import { slowRequest, span } from './fixtures';

const OTHER = '0af7651916cd43dd8448eb211c80319c';

// A request that publishes a message, and the worker's spans for it (another process,
// exported on its own schedule).
const publishing = () => [
  span({ id: 'gw', service: 'users', name: 'GET /users/:id', kind: 2, start: 0, end: 20 }),
  span({ id: 'pub', parent: 'gw', service: 'users', name: 'publish user.viewed', kind: 4, start: 10, end: 11 }),
];
const consuming = () => [
  span({ id: 'proc', parent: 'pub', service: 'activity', name: 'process user.viewed', kind: 5, start: 12, end: 16 }),
  span({ id: 'ins', parent: 'proc', service: 'activity', name: 'INSERT user_views', kind: 3, start: 13, end: 15 }),
];

describe('TraceAssembler', () => {
  it('releases a trace once it has its root and no span arrived for the quiet period', () => {
    const a = new TraceAssembler({ quietMs: 1000 });
    const spans = slowRequest();
    a.add(spans.slice(1), 0); // the services' spans arrive first,
    a.add(spans.slice(0, 1), 300); // the gateway's root last.
    expect(a.takeComplete(1299)).toEqual([]);
    const [trace] = a.takeComplete(1300);
    expect(trace).toHaveLength(spans.length);
    expect(a.pendingCount).toBe(0);
  });

  it('waits for a missing root until maxWaitMs, then releases what it has', () => {
    const a = new TraceAssembler({ quietMs: 100, maxWaitMs: 5000 });
    a.add(slowRequest().slice(1), 0);
    expect(a.takeComplete(4999)).toEqual([]);
    expect(a.takeComplete(5000)).toHaveLength(1);
  });

  it('keeps traces apart and releases each on its own schedule', () => {
    const a = new TraceAssembler({ quietMs: 100 });
    a.add(slowRequest(), 0);
    a.add(slowRequest(OTHER), 50);
    expect(a.takeComplete(100).map((t) => t[0]!.traceId)).toEqual([slowRequest()[0]!.traceId]);
    expect(a.takeComplete(150).map((t) => t[0]!.traceId)).toEqual([OTHER]);
  });

  it('releases the oldest trace early when too many are held', () => {
    const a = new TraceAssembler({ maxTraces: 1 });
    a.add(slowRequest(), 0);
    a.add(slowRequest(OTHER), 1);
    expect(a.pendingCount).toBe(1);
    expect(a.takeComplete(2).map((t) => t[0]!.traceId)).toEqual([slowRequest()[0]!.traceId]);
  });

  it('releases a trace early when it holds too many spans', () => {
    const a = new TraceAssembler({ maxSpansPerTrace: 4 });
    a.add(slowRequest(), 0);
    const out = a.takeComplete(0);
    expect(out.map((t) => t.length)).toEqual([4, 4]);
    expect(a.pendingCount).toBe(1);
  });

  it('takeAll releases everything, complete or not', () => {
    const a = new TraceAssembler();
    a.add(slowRequest().slice(1), 0);
    a.add(slowRequest(OTHER), 0);
    expect(a.takeAll()).toHaveLength(2);
    expect(a.takeAll()).toEqual([]);
  });

  it('holds a trace whose published message has no consumer span yet, then releases it whole', () => {
    const a = new TraceAssembler({ quietMs: 1000, maxWaitMs: 10_000 });
    a.add(publishing(), 0);
    expect(a.takeComplete(4000)).toEqual([]); // quiet and rooted, but the message is unanswered
    a.add(consuming(), 4500);
    expect(a.takeComplete(5499)).toEqual([]);
    const [trace] = a.takeComplete(5500);
    expect(trace!.map((s) => s.name)).toEqual(['GET /users/:id', 'publish user.viewed', 'process user.viewed', 'INSERT user_views']);
  });

  it('counts a consumer that arrives before its producer', () => {
    const a = new TraceAssembler({ quietMs: 1000, maxWaitMs: 10_000 });
    a.add(consuming(), 0);
    a.add(publishing(), 100);
    expect(a.takeComplete(1100)).toHaveLength(1);
  });

  it('releases a message nobody consumed at maxWaitMs', () => {
    const a = new TraceAssembler({ quietMs: 1000, maxWaitMs: 10_000 });
    a.add(publishing(), 0);
    expect(a.takeComplete(9999)).toEqual([]);
    expect(a.takeComplete(10_000)).toHaveLength(1);
  });
});
