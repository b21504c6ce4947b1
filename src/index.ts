/**
 * Waymark's public surface. Most users never import it: `--require waymark/register.js`
 * does everything. It is here for `forceFlush()`/`shutdown()` and for embedding.
 */
import { getAgent, startAgent } from './agent';
import { startupReport, type StartupReport } from './startup-report';

export { startAgent, getAgent } from './agent';
export type { Agent, StartOptions } from './agent';
export { readConfig } from './config';
export type { AgentConfig } from './config';
export type { StartupReport } from './startup-report';
export { InMemorySpanExporter } from './export/in-memory-exporter';
export type { SpanRecord, SpanExporter, ExportResult } from './export/span-record';

/** Exports every finished span now. Resolves when done; never rejects. */
export async function forceFlush(): Promise<void> {
  try {
    await getAgent()?.forceFlush();
  } catch {
    // flushing is best effort
  }
}

/** Flushes and stops exporting; spans ended later are dropped. Never rejects. */
export async function shutdown(): Promise<void> {
  try {
    await getAgent()?.shutdown();
  } catch {
    // best effort
  }
}

/** Starts the agent if the preload did not (for apps that prefer code over flags). */
export function start(): void {
  startAgent();
}

/**
 * What the startup report says, as of now: libraries instrumented, unsupported or loaded
 * before the agent, and where spans go. Undefined when no agent runs in this process.
 */
export function getStartupReport(): StartupReport | undefined {
  const agent = getAgent();
  return agent === undefined ? undefined : startupReport(agent.config);
}
