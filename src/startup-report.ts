import { diag } from './diag';
import type { AgentConfig } from './config';
import { loadRecord } from './hooks/load-record';
import { maskUrl } from './mask';

/** What the startup report says; also for tools that inspect a running agent. */
export interface StartupReport {
  /** `module version` of each patched library (builtins and channel subscribers: the name). */
  instrumented: string[];
  /** Libraries found outside their supported versions, with those versions. */
  unsupported: string[];
  /** Libraries loaded before the agent, so not patched. */
  loadedBeforeAgent: string[];
  /** Where spans go: exporter name and its endpoint, credentials masked. */
  destinations: string[];
}

/** The report's data as of now (what has loaded so far). */
export function startupReport(config: AgentConfig): StartupReport {
  const record = loadRecord();
  return {
    instrumented: record.instrumented,
    unsupported: record.unsupported,
    loadedBeforeAgent: record.preloaded,
    destinations: config.exporters.map((name) => destination(config, name)),
  };
}

function destination(config: AgentConfig, name: AgentConfig['exporters'][number]): string {
  // The configured URLs hold no userinfo any more (it became a header); query values may be secrets.
  if (name === 'otlp') return `otlp ${config.otlp.protocol} ${maskUrl(config.otlp.url)}`;
  if (name === 'zipkin') return `zipkin ${maskUrl(config.zipkin.url)}`;
  if (name === 'console') return 'console (stdout)';
  return 'none (spans are dropped)';
}

/** The report as one line. */
export function formatStartupReport(r: StartupReport): string {
  const parts = [`instrumented: ${r.instrumented.length > 0 ? r.instrumented.join(', ') : 'none yet'}`];
  if (r.unsupported.length > 0) parts.push(`not instrumented (unsupported version): ${r.unsupported.join(', ')}`);
  if (r.loadedBeforeAgent.length > 0) parts.push(`loaded before the agent (not instrumented): ${r.loadedBeforeAgent.join(', ')}`);
  parts.push(`spans go to: ${r.destinations.join(', ')}`);
  return `startup: ${parts.join('; ')}`;
}

/** How often the report checks whether the app is still loading modules. */
const SETTLE_MS = 200;
/** The report waits no longer than this for module loading to settle. */
const MAX_WAIT_MS = 3_000;

/**
 * Prints the report once at info level, when the app has loaded its modules: the first
 * SETTLE_MS interval in which neither require.cache nor what the hooks recorded grew (the
 * main module, and the asynchronous loading of an ESM import graph, have finished by then),
 * at most MAX_WAIT_MS after the agent started; or at exit for a script that ends sooner.
 * The timer is unref'd (it never keeps the app alive) and each check costs one count of
 * require.cache; below info level nothing is scheduled at all.
 */
export function scheduleStartupReport(config: AgentConfig): void {
  if (!diag.enabled('info')) return;
  let done = false;
  const print = (): void => {
    if (done) return;
    done = true;
    process.removeListener('exit', print);
    try {
      diag.info(formatStartupReport(startupReport(config)));
    } catch {
      // A report is not worth a crash.
    }
  };
  const started = Date.now();
  let last = loadingSignature();
  const check = (): void => {
    const now = loadingSignature();
    if (now === last || Date.now() - started >= MAX_WAIT_MS) return print();
    last = now;
    setTimeout(check, SETTLE_MS).unref();
  };
  setTimeout(check, SETTLE_MS).unref();
  process.once('exit', print);
}

/** Grows while the app loads modules: CommonJS files, and libraries the hooks saw (ESM ones too). */
function loadingSignature(): string {
  const r = loadRecord();
  return `${Object.keys(require.cache).length}/${r.instrumented.length}/${r.unsupported.length}`;
}
