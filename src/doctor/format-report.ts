import { SDK_VERSION } from '../config';
import { summarizeConfig } from './config-summary';
import type { Findings, Problem } from './problems';

function rows(pairs: ReadonlyArray<readonly [string, string]>): string[] {
  const width = Math.max(...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`);
}

/** The doctor's report as text, one section per question it answers. */
export function formatReport(f: Findings, problems: readonly Problem[], dir: string): string {
  const lines: string[] = [`waymark doctor (waymark ${SDK_VERSION})`, '', 'Configuration (as the agent resolves it; secrets masked)', ...rows(summarizeConfig(f.config))];
  lines.push('', 'Runtime', ...rows([
    ['node', f.runtime.node],
    ['ESM hook', f.runtime.hook === 'module.registerHooks' ? 'module.registerHooks (in-thread, no loader thread)' : 'module.register (loader thread)'],
  ]));
  lines.push('', `Libraries (node_modules from ${dir})`);
  const found = f.libraries.filter((l) => l.status !== 'not installed');
  const pairs: Array<[string, string]> = found.map((l) => [l.status, `${l.module} ${l.version}  (${l.entry}: ${l.range}${l.via === undefined ? '' : `; through ${l.via}`})`]);
  if (pairs.length > 0) lines.push(...rows(pairs));
  else lines.push('  none of the instrumented libraries is installed');
  const missing = [...new Set(f.libraries.filter((l) => l.status === 'not installed').map((l) => l.module))];
  if (missing.length > 0) lines.push(`  not installed: ${missing.join(', ')}`);
  const run = f.appRun;
  if (run !== undefined) {
    lines.push('', `App (${run.app}, started under the agent)`);
    if (run.report === undefined) lines.push('  no report from the agent');
    else {
      const list = (xs: readonly string[]): string => (xs.length > 0 ? xs.join(', ') : '(none)');
      lines.push(...rows([
        ['instrumented', list(run.report.instrumented)],
        ['unsupported version', list(run.report.unsupported)],
        ['loaded before the agent', list(run.report.loadedBeforeAgent)],
      ]));
    }
  }
  lines.push('', 'Endpoint (one test span, sent with the configured exporter)');
  if (f.endpoints.length === 0) lines.push('  no network exporter configured');
  for (const e of f.endpoints) lines.push(`  ${e.exporter} ${e.target}: ${e.ok ? e.detail : `FAILED: ${e.detail}`}`);
  lines.push('');
  if (problems.length === 0) {
    lines.push('No problems found.');
  } else {
    lines.push('Problems');
    problems.forEach((p, i) => lines.push(`  ${i + 1}. ${p.text}`, `     -> ${p.suggestion}`));
  }
  const blocked = problems.some((p) => p.blocksDelivery);
  lines.push('', blocked ? 'Spans cannot be delivered.' : 'Spans can be delivered.');
  return lines.join('\n') + '\n';
}
