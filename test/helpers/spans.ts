import { SpanKind, trace, type Span } from '@opentelemetry/api';
import type { SpanRecord } from '../../src/export/span-record';
import type { TestAgent } from './agent-harness';

/**
 * Polls the finished spans until `find` returns something (spans end on events after a
 * response or a reply, not when the awaited call returns); resolves with it.
 */
export async function pollSpans<T>(agent: TestAgent, find: (spans: SpanRecord[]) => T | undefined, what: string, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const spans = agent.finishedSpans();
    const found = find(spans);
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; have: ${spans.map((s) => `${s.name}/${s.kind}`).join(', ')}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Waits until `pred` holds on the finished spans; resolves with them. */
export function waitForSpans(agent: TestAgent, pred: (spans: SpanRecord[]) => boolean, timeoutMs = 3000): Promise<SpanRecord[]> {
  return pollSpans(agent, (spans) => (pred(spans) ? spans : undefined), 'spans', timeoutMs);
}

/** Finished spans of one instrumentation scope (`waymark/<name>`). */
export function spansOf(agent: TestAgent, name: string): SpanRecord[] {
  return ofScope(agent.finishedSpans(), name);
}

function ofScope(spans: SpanRecord[], name: string): SpanRecord[] {
  return spans.filter((s) => s.scope.name === `waymark/${name}`);
}

/** Waits until `n` spans of the instrumentation `name` have ended; resolves with those. */
export function waitForSpansOf(agent: TestAgent, name: string, n: number, timeoutMs = 3000): Promise<SpanRecord[]> {
  return pollSpans(agent, (spans) => {
    const own = ofScope(spans, name);
    return own.length >= n ? own : undefined;
  }, `${n} ${name} spans`, timeoutMs);
}

/** Waits until `n` SERVER spans have ended; resolves with those. */
export function waitForServerSpans(agent: TestAgent, n: number, timeoutMs = 5000): Promise<SpanRecord[]> {
  return pollSpans(agent, (spans) => {
    const servers = spans.filter((s) => s.kind === SpanKind.SERVER);
    return servers.length >= n ? servers : undefined;
  }, `${n} server spans`, timeoutMs);
}

/**
 * Waits until the SERVER span of the request to `base + path` has ended. Matches the port
 * too: the variants of a test file serve the same paths on different servers.
 */
export function serverSpanFor(agent: TestAgent, base: string, path: string, timeoutMs = 3000): Promise<SpanRecord> {
  const port = Number(new URL(base).port);
  return pollSpans(
    agent,
    (spans) => spans.find((s) => s.kind === SpanKind.SERVER && s.attributes['url.path'] === path && s.attributes['server.port'] === port),
    `the server span for ${path}`,
    timeoutMs,
  );
}

/** All finished spans of one trace. */
export function traceOf(agent: TestAgent, traceId: string): SpanRecord[] {
  return agent.finishedSpans().filter((s) => s.traceId === traceId);
}

/** Runs `fn` inside an active manual parent span, ended when `fn` settles. */
export async function inParent<T>(fn: (parent: Span) => Promise<T>, name = 'parent'): Promise<{ result: T; parent: Span }> {
  return trace.getTracer('test').startActiveSpan(name, async (parent) => {
    try {
      return { result: await fn(parent), parent };
    } finally {
      parent.end();
    }
  });
}
