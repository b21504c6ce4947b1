import { createRequire } from 'node:module';
import { startTestAgent, type TestAgent } from '../helpers/agent-harness';
import { installHooks, type HookConfig, type HooksHandle } from '../../src/hooks';
import { INSTRUMENTATIONS } from '../../instrumentations';
import type { Instrumentation, InstrumentationEntry } from '../../src/instrument/types';
import { instrumentation as httpInstrumentation } from '../../instrumentations/http';
import { instrumentation as fetchInstrumentation } from '../../instrumentations/fetch';
import { instrumentation as fastifyInstrumentation } from '../../instrumentations/fastify';
import type { SpanRecord } from '../../src/export/span-record';
import { context, propagation, trace } from '@opentelemetry/api';
import { readConfig } from '../../src/config';
import { InMemorySpanExporter } from '../../src/export/in-memory-exporter';
import { AsyncLocalStorageContextManager } from '../../src/sdk/context-manager';
import { createSampler } from '../../src/sdk/sampler';
import { SimpleSpanProcessor } from '../helpers/simple-span-processor';
import { TracerProvider } from '../../src/sdk/tracer-provider';
import { createPropagator } from '../../src/propagation';

/** Node's require, for loading hooked modules through require-in-the-middle. */
export const nodeRequire = createRequire(__filename);

// Vitest cannot `require()` TypeScript, so the registry's lazy loads are replaced by the
// already imported modules; targets, names and selection stay the registry's own. fetch and
// fastify subscribe to diagnostics channels when the hooks are installed, so they load even
// in tests of other libraries.
const LOADED: Record<string, Instrumentation> = { http: httpInstrumentation, fetch: fetchInstrumentation, fastify: fastifyInstrumentation };

/** The registry with its `load`s served from the imports above. */
export function testEntries(): InstrumentationEntry[] {
  return INSTRUMENTATIONS.map((e) => ({ ...e, load: () => LOADED[e.name] ?? e.load() }));
}

/** Starts the real SDK with an in-memory exporter, without module hooks. */
export function startSdk(): TestAgent {
  return startAgentOrFallback();
}

/** Starts the real SDK (in-memory exporter) and the hooks for `config`. */
export function startTracing(config: HookConfig = {}): { agent: TestAgent; hooks: HooksHandle } {
  const agent = startAgentOrFallback();
  const hooks = installHooks(config, testEntries());
  return { agent, hooks };
}

/** Waits until `pred` holds on the finished spans (spans end on events after the response). */
export async function waitForSpans(agent: TestAgent, pred: (spans: SpanRecord[]) => boolean, timeoutMs = 3000): Promise<SpanRecord[]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const spans = agent.finishedSpans();
    if (pred(spans)) return spans;
    if (Date.now() > until) throw new Error(`timed out waiting for spans; have: ${spans.map((s) => `${s.name}/${s.kind}`).join(', ')}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

let fallback: TestAgent | undefined;

/**
 * The lead's harness; while its agent cannot start under vitest (it `require()`s TypeScript
 * modules), the same SDK pieces registered by hand.
 */
function startAgentOrFallback(): TestAgent {
  if (fallback !== undefined) return fallback;
  try {
    return startTestAgent({}, { instrument: false });
  } catch {
    const config = readConfig({ OTEL_SERVICE_NAME: 'test-service' });
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({
      sample: createSampler(config.sampler.name, config.sampler.arg),
      limits: config.limits,
      processors: [new SimpleSpanProcessor(exporter)],
    });
    context.setGlobalContextManager(new AsyncLocalStorageContextManager());
    trace.setGlobalTracerProvider(provider);
    propagation.setGlobalPropagator(createPropagator(config.propagators));
    fallback = {
      agent: undefined as never,
      finishedSpans: () => exporter.spans.slice(),
      reset: () => exporter.reset(),
    };
    return fallback;
  }
}
