import type { AgentConfig } from '../config';
import type { AppRunFinding } from './app-run';
import type { EndpointFinding } from './endpoint-check';
import type { LibraryFinding } from './libraries';
import type { RuntimeFinding } from './runtime';

/** One thing wrong, with the one thing to do about it. */
export interface Problem {
  readonly text: string;
  readonly suggestion: string;
  /** True when it keeps spans from reaching a backend (the exit status says so). */
  readonly blocksDelivery: boolean;
}

export interface Findings {
  readonly config: AgentConfig;
  readonly runtime: RuntimeFinding;
  readonly libraries: readonly LibraryFinding[];
  readonly endpoints: readonly EndpointFinding[];
  /** The app given on the command line, when it does not exist. */
  readonly missingApp?: string | undefined;
  /** What starting the app under the agent showed (when an app was given). */
  readonly appRun?: AppRunFinding | undefined;
}

/** The suggestion for an export that failed, from the shape of its error. */
function endpointSuggestion(f: EndpointFinding, config: AgentConfig): string {
  const d = f.detail;
  if (/ECONNREFUSED/.test(d)) {
    return `nothing listens at ${f.target}: start the Collector (or the backend), or set OTEL_EXPORTER_OTLP_ENDPOINT to where it listens`;
  }
  if (/ENOTFOUND|EAI_AGAIN/.test(d)) return `the host of ${f.target} does not resolve: check the endpoint's host name`;
  if (/\b40[13]\b/.test(d)) return 'the backend refused the credentials: check OTEL_EXPORTER_OTLP_HEADERS (or the userinfo of the endpoint URL)';
  if (/\b404\b/.test(d)) {
    return 'no trace receiver at that path: set OTEL_EXPORTER_OTLP_ENDPOINT to the base URL (…:4318) and let the agent add /v1/traces, or give the full path in OTEL_EXPORTER_OTLP_TRACES_ENDPOINT';
  }
  if (/timed? ?out|ETIMEDOUT|deadline/i.test(d)) return `no answer in time from ${f.target}: check that the port is open from here, and the protocol (OTLP/HTTP on 4318, OTLP/gRPC on 4317)`;
  if (config.otlp.protocol === 'grpc' && /:4318\b/.test(f.target)) return 'OTLP/gRPC is sent to port 4318 (OTLP/HTTP): use port 4317, or OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf';
  return `check that ${f.target} is an OTLP receiver speaking ${config.otlp.protocol} (OTEL_EXPORTER_OTLP_PROTOCOL)`;
}

/** Every problem the findings show, in the order a user would fix them. */
export function findProblems(f: Findings): Problem[] {
  const out: Problem[] = [];
  if (f.missingApp !== undefined) {
    out.push({ text: `${f.missingApp} does not exist`, suggestion: 'give the path of the app’s entry script, or run doctor in the app’s directory', blocksDelivery: false });
  }
  if (f.config.disabled) {
    out.push({ text: 'OTEL_SDK_DISABLED=true: the agent does nothing', suggestion: 'unset OTEL_SDK_DISABLED', blocksDelivery: true });
  }
  const delivering = f.config.exporters.filter((e) => e !== 'none');
  if (delivering.length === 0) {
    out.push({ text: 'OTEL_TRACES_EXPORTER=none: spans are made and dropped', suggestion: 'set OTEL_TRACES_EXPORTER=otlp (the default)', blocksDelivery: true });
  }
  for (const e of f.endpoints) {
    if (!e.ok) out.push({ text: `${e.exporter} export to ${e.target} failed: ${e.detail}`, suggestion: endpointSuggestion(e, f.config), blocksDelivery: true });
  }
  if (f.runtime.tooOld) {
    out.push({ text: `Node ${f.runtime.node} is older than 20.6.0, which the agent needs`, suggestion: 'upgrade Node to a supported line (20.6+, 22, 24, 26)', blocksDelivery: true });
  }
  for (const l of f.libraries) {
    if (l.status !== 'unsupported') continue;
    out.push({
      text: `${l.module} ${l.version} is outside the supported range ${l.range}: it runs untraced`,
      suggestion: `use a version of ${l.module} within ${l.range}; its calls are not traced until then`,
      blocksDelivery: false,
    });
  }
  const run = f.appRun;
  if (run !== undefined && run.report === undefined) {
    const how = run.exitCode === undefined || run.exitCode === null ? 'gave no report' : `exited with code ${run.exitCode} before the agent reported`;
    out.push({
      text: `the app ${how}${run.stderrTail ? `: ${run.stderrTail.split('\n').pop()}` : ''}`,
      suggestion: 'run the app by hand with --require waymark/register.js and read its [waymark] lines',
      blocksDelivery: false,
    });
  }
  const early = run?.report?.loadedBeforeAgent ?? [];
  if (early.length > 0) {
    out.push({
      text: `${early.join(', ')} ${early.length === 1 ? 'was' : 'were'} loaded before the agent: untraced`,
      suggestion: 'load the agent first: node --require waymark/register.js (or --import waymark/register.mjs) ahead of any other --require, including those in NODE_OPTIONS',
      blocksDelivery: false,
    });
  }
  // Unsupported versions the app really loaded, unless the node_modules check said so already.
  const flagged = new Set(f.libraries.filter((l) => l.status === 'unsupported').map((l) => `${l.module} ${l.version}`));
  for (const u of run?.report?.unsupported ?? []) {
    if ([...flagged].some((m) => u.startsWith(m))) continue;
    out.push({ text: `${u} was loaded by the app: it runs untraced`, suggestion: 'use a version within the supported range', blocksDelivery: false });
  }
  return out;
}
