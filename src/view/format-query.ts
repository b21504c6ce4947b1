import { formatDuration } from './duration';
import { paint, printable } from './format-trace';
import { traceDurationNs, type SpanHit } from './query';
import { mainRoot, type TraceTree } from './trace-tree';
import { isError } from './view-span';

/** Aligns columns: every cell padded to its column's widest; `right` columns pad on the left. */
function table(rows: string[][], right: ReadonlySet<number>): string[] {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => r[col]!.length)));
  return rows.map((r) => r.map((cell, col) => (right.has(col) ? cell.padStart(widths[col]!) : cell.padEnd(widths[col]!))).join('  ').trimEnd());
}

/** One line per trace: duration, id, root service and span, span count, errors. */
export function formatTraceList(traces: readonly TraceTree[], opts: { color?: boolean } = {}): string {
  if (traces.length === 0) return 'no matching traces\n';
  const p = paint(opts.color ?? false);
  const rows = [['DURATION', 'TRACE', 'ROOT', 'SPANS', 'ERRORS']];
  for (const t of traces) {
    const root = mainRoot(t);
    const label = root ? `${printable(root.span.service, 40)} ${printable(root.span.name, 60)}` : '';
    rows.push([formatDuration(traceDurationNs(t)), t.traceId, label, String(t.spanCount), t.errorCount ? `✗ ${t.errorCount}` : '']);
  }
  const [head, ...body] = table(rows, new Set([0, 3]));
  const lines = [p.bold(head!), ...body.map((line, i) => (traces[i]!.errorCount ? p.red(line) : line))];
  lines.push(`${traces.length} ${traces.length === 1 ? 'trace' : 'traces'}`);
  return lines.join('\n') + '\n';
}

/** One line per span: self time, total time, service, name, trace id. */
export function formatSpanList(hits: readonly SpanHit[], opts: { color?: boolean } = {}): string {
  if (hits.length === 0) return 'no matching spans\n';
  const p = paint(opts.color ?? false);
  const rows = [['SELF', 'TOTAL', 'SERVICE', 'SPAN', 'TRACE']];
  for (const h of hits) {
    const name = printable(h.node.span.name, 60) + (isError(h.node.span) ? ' ✗' : '');
    rows.push([formatDuration(h.selfNs), formatDuration(h.node.end - h.node.start), printable(h.node.span.service, 40), name, h.trace.traceId]);
  }
  const [head, ...body] = table(rows, new Set([0, 1]));
  const lines = [p.bold(head!), ...body.map((line, i) => (isError(hits[i]!.node.span) ? p.red(line) : line))];
  lines.push(`${hits.length} ${hits.length === 1 ? 'span' : 'spans'}`);
  return lines.join('\n') + '\n';
}
