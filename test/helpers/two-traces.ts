import { randomBytes } from 'node:crypto';
import type * as Http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind } from '@opentelemetry/api';
import type { SpanRecord } from '../../src/export/span-record';
import type { TestAgent } from './agent-harness';

/** What a request of `serveTwoTraces` was sent under, and the server span it made (when sampled). */
export interface TracedRequest {
  /** The trace id of the caller's traceparent. */
  readonly traceId: string;
  /** The caller's span id: the server span's parent. */
  readonly parentSpanId: string;
  /** The exported server span; undefined when the request came unsampled (`-00`). */
  readonly server: SpanRecord | undefined;
}

/** `log(label, phase)` is called in the handler of request `a` or `b`, phase `start` then `end`. */
export type LogInHandler = (label: 'a' | 'b', phase: 'start' | 'end') => void;

/**
 * Two concurrent requests, `/a` in trace A and `/b` in trace B, to a server of the hooked
 * `http` (so each handler runs inside the agent's own server span). Each handler logs
 * `start`, waits until the other one has logged too, then logs `end`, b before a: the
 * records of the two requests interleave, as they do in a busy service. Requests are sent with the global `fetch` (leave the fetch instrumentation out
 * of the hooks), each with its own traceparent; `flags` is its trace-flags byte.
 */
export async function serveTwoTraces(
  http: typeof Http,
  agent: TestAgent,
  log: LogInHandler,
  flags: '01' | '00' = '01',
): Promise<{ a: TracedRequest; b: TracedRequest }> {
  const started = new Set<string>();
  let release!: () => void;
  const bothStarted = new Promise<void>((r) => (release = r));
  let bEnded!: () => void;
  const bHasEnded = new Promise<void>((r) => (bEnded = r));
  const server = http.createServer((req, res) => {
    const label = req.url === '/a' ? 'a' : 'b';
    log(label, 'start');
    started.add(label);
    if (started.size === 2) release();
    // b ends first, a after it, each a few turns of the event loop later: whichever arrived first.
    void bothStarted
      .then(() => (label === 'a' ? bHasEnded : undefined))
      .then(() => new Promise((r) => setTimeout(r, 1)))
      .then(() => {
        log(label, 'end');
        if (label === 'b') bEnded();
        res.end(label);
      });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  const send = async (label: 'a' | 'b'): Promise<{ traceId: string; parentSpanId: string }> => {
    const traceId = randomBytes(16).toString('hex');
    const parentSpanId = randomBytes(8).toString('hex');
    const res = await fetch(`http://127.0.0.1:${port}/${label}`, { headers: { traceparent: `00-${traceId}-${parentSpanId}-${flags}` } });
    await res.text();
    return { traceId, parentSpanId };
  };
  try {
    const [a, b] = await Promise.all([send('a'), send('b')]);
    const serverOf = async (parentSpanId: string): Promise<SpanRecord | undefined> => {
      if (flags === '00') return undefined;
      const deadline = Date.now() + 3000;
      for (;;) {
        const span = agent.finishedSpans().find((s) => s.kind === SpanKind.SERVER && s.parentSpanId === parentSpanId);
        if (span !== undefined) return span;
        if (Date.now() > deadline) throw new Error(`no server span under ${parentSpanId}`);
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    return { a: { ...a, server: await serverOf(a.parentSpanId) }, b: { ...b, server: await serverOf(b.parentSpanId) } };
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
}

/** The trace fields a record written in `request`'s handler must carry. */
export function expectedFields(request: TracedRequest): { trace_id: string; span_id: string; trace_flags: string } {
  if (request.server === undefined) throw new Error('unsampled request: no server span to take the span id from');
  return { trace_id: request.server.traceId, span_id: request.server.spanId, trace_flags: request.server.traceFlags.toString(16).padStart(2, '0') };
}

/** `a:start`, `b:start` in arrival order, then `b:end`, `a:end`: what `serveTwoTraces` makes handlers log. */
export function expectInterleaved(labels: string[]): void {
  if (labels.length !== 4 || [...labels.slice(0, 2)].sort().join() !== 'a:start,b:start' || labels.slice(2).join() !== 'b:end,a:end') {
    throw new Error(`records not interleaved as expected: ${labels.join(', ')}`);
  }
}
