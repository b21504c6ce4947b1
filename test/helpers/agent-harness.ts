import { SpanKind } from '@opentelemetry/api';
import { startAgent, type Agent } from '../../src/agent';
import { readConfig } from '../../src/config';
import { InMemorySpanExporter } from '../../src/export/in-memory-exporter';
import { SimpleSpanProcessor } from './simple-span-processor';
import type { SpanRecord } from '../../src/export/span-record';

export interface TestAgent {
  agent: Agent;
  /** Spans finished so far, in the order they ended. */
  finishedSpans(): SpanRecord[];
  reset(): void;
}

let current: TestAgent | undefined;

/**
 * Starts the real agent in this (test) process with an in-memory exporter behind a
 * synchronous processor, once per process. `env` overrides are read as OTEL_* variables.
 * Pass `instrument: false` to skip module hooking.
 */
export function startTestAgent(env: Record<string, string> = {}, opts: { instrument?: boolean } = {}): TestAgent {
  if (current) return current;
  const exporter = new InMemorySpanExporter();
  const config = readConfig({ OTEL_SERVICE_NAME: 'test-service', ...env });
  const agent = startAgent({
    config,
    processors: [new SimpleSpanProcessor(exporter)],
    exitHooks: false,
    instrument: opts.instrument ?? true,
  });
  if (!agent) throw new Error('test agent did not start');
  current = {
    agent,
    finishedSpans: () => exporter.spans.slice(),
    reset: () => exporter.reset(),
  };
  return current;
}

/**
 * Waits until the SERVER span of the request to `base + path` has ended. Matches the port
 * too: the variants of a test file serve the same paths on different servers.
 */
export async function serverSpanFor(agent: TestAgent, base: string, path: string, timeoutMs = 3000): Promise<SpanRecord> {
  const port = Number(new URL(base).port);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const span = agent
      .finishedSpans()
      .find((s) => s.kind === SpanKind.SERVER && s.attributes['url.path'] === path && s.attributes['server.port'] === port);
    if (span !== undefined) return span;
    if (Date.now() > deadline) throw new Error(`no server span for ${path}; have: ${agent.finishedSpans().map((s) => s.name).join(', ')}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** All finished spans of one trace. */
export function traceOf(agent: TestAgent, traceId: string): SpanRecord[] {
  return agent.finishedSpans().filter((s) => s.traceId === traceId);
}
