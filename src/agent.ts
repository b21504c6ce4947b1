import type { TextMapPropagator } from '@opentelemetry/api';
import { registerGlobals as registerApiGlobals } from './api-globals';
import { DEFAULT_SERVICE_NAME, readConfig, type AgentConfig } from './config';
import { installHooks } from './hooks';
import { createPropagator } from './propagation';
import { describeError, diag } from './diag';
import type { Resource, SpanExporter } from './export/span-record';
import { BatchSpanProcessor } from './sdk/batch-span-processor';
import { AsyncLocalStorageContextManager } from './sdk/context-manager';
import { installExitHooks } from './exit-hooks';
import { scheduleStartupReport } from './startup-report';
import { createAgentSampler } from './sdk/sampler';
import { W3CTraceState } from './propagation/trace-state';
import { TracerProvider, type SpanProcessor } from './sdk/tracer-provider';

/** What a started agent exposes. */
export interface Agent {
  readonly config: AgentConfig;
  readonly provider: TracerProvider;
  readonly processors: readonly SpanProcessor[];
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

export interface StartOptions {
  /** Configuration; read from process.env when omitted. */
  config?: AgentConfig;
  /** Exporters to use instead of those named by OTEL_TRACES_EXPORTER (tests, embedding). */
  exporters?: SpanExporter[];
  /** Processors to use as they are (tests pass one that exports each span as it ends). */
  processors?: SpanProcessor[];
  /** Skip module hooking (unit tests of the core). */
  instrument?: boolean;
  /** Skip the beforeExit/signal hooks (tests that start several agents). */
  exitHooks?: boolean;
}

// One agent per process, whichever copy of this package (or how many preloads) got here
// first: the marker lives on globalThis under a registry symbol.
const AGENT_KEY = Symbol.for('waymark.agent');
type Global = typeof globalThis & { [AGENT_KEY]?: Agent };

/** The running agent, if any. */
export function getAgent(): Agent | undefined {
  return (globalThis as Global)[AGENT_KEY];
}

/**
 * Starts the agent: tracer provider, context manager and propagator registered with the
 * @opentelemetry/api globals, exporters behind batch processors, exit hooks, module hooks.
 * Idempotent across copies; never throws (a failure leaves the app untraced, with one line).
 */
export function startAgent(opts: StartOptions = {}): Agent | undefined {
  const existing = getAgent();
  if (existing !== undefined) {
    diag.debug('agent already started in this process; not starting a second one');
    return existing;
  }
  try {
    const config = opts.config ?? readConfig();
    if (config.disabled) {
      diag.debug('OTEL_SDK_DISABLED=true: the agent stays inactive');
      return undefined;
    }
    const resource: Resource = { attributes: config.resourceAttributes };
    const processors: SpanProcessor[] =
      opts.processors ?? (opts.exporters ?? createExporters(config, resource)).map((e) => new BatchSpanProcessor(e, config.bsp));
    const sampler = createAgentSampler(config.sampler, config.serviceName);
    const provider = new TracerProvider({
      sample: sampler.sample,
      // OpenTelemetry probability sampling: the root's rejection threshold, in `ot`'s `th`.
      thresholdState: (th) => new W3CTraceState(new Map([['ot', `th:${th}`]])),
      limits: config.limits,
      processors,
    });
    if (!registerGlobals(provider, createPropagators(config))) {
      sampler.stop();
      return undefined;
    }

    let removeExitHooks: (() => void) | undefined;
    const agent: Agent = {
      config,
      provider,
      processors,
      forceFlush: () => provider.forceFlush(),
      shutdown: async () => {
        removeExitHooks?.();
        sampler.stop();
        await provider.shutdown();
      },
    };
    (globalThis as Global)[AGENT_KEY] = agent;
    if (opts.exitHooks !== false) {
      removeExitHooks = installExitHooks(provider, config.shutdownTimeoutMs);
    }
    if (config.serviceName === DEFAULT_SERVICE_NAME) {
      diag.info(`service.name is ${DEFAULT_SERVICE_NAME}: name this service with OTEL_SERVICE_NAME=<name>`);
    }
    if (opts.instrument !== false) {
      startInstrumentation(config);
      scheduleStartupReport(config);
    }
    return agent;
  } catch (err) {
    diag.error(`agent failed to start, the app runs untraced: ${describeError(err)}`);
    return undefined;
  }
}

function registerGlobals(provider: TracerProvider, propagator: TextMapPropagator): boolean {
  const manager = new AsyncLocalStorageContextManager();
  // The API refuses a second registration and reports it; so do we, without half-registering.
  const refused = registerApiGlobals({ context: manager.enable(), trace: provider, propagation: propagator });
  if (refused !== undefined) {
    manager.disable();
    diag.warn(`${refused}; waymark stays inactive`);
    return false;
  }
  return true;
}

function createPropagators(config: AgentConfig): TextMapPropagator {
  return createPropagator(config.propagators);
}

function createExporters(config: AgentConfig, resource: Resource): SpanExporter[] {
  const out: SpanExporter[] = [];
  for (const name of config.exporters) {
    try {
      if (name === 'otlp') {
        const { OtlpHttpExporter } = require('./export/otlp-http-exporter') as typeof import('./export/otlp-http-exporter');
        out.push(new OtlpHttpExporter({ ...config.otlp, resource }));
      } else if (name === 'console') {
        const { ConsoleSpanExporter } = require('./export/console-exporter') as typeof import('./export/console-exporter');
        out.push(new ConsoleSpanExporter());
      } else if (name === 'zipkin') {
        const { ZipkinExporter } = require('./export/zipkin-exporter') as typeof import('./export/zipkin-exporter');
        out.push(
          new ZipkinExporter({ url: config.zipkin.url, headers: config.zipkin.headers, timeoutMs: config.zipkin.timeoutMs, serviceName: config.serviceName, resource }),
        );
      }
    } catch (err) {
      diag.error(`could not create the ${name} exporter: ${describeError(err)}`);
    }
  }
  return out;
}

function startInstrumentation(config: AgentConfig): void {
  try {
    installHooks(config.instrumentations);
  } catch (err) {
    diag.error(`module hooks could not be installed; only manual spans are traced: ${describeError(err)}`);
  }
}
