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
