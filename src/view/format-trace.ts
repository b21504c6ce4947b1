import { criticalPath } from './critical-path';
import { formatDuration } from './duration';
import { mainRoot, walkTree, type SpanNode, type TraceTree, type TreeRow } from './trace-tree';
import { isError } from './view-span';

/** How to render. */
export interface FormatOptions {
  /** ANSI colours (default false: plain text, byte-for-byte deterministic). */
  color?: boolean;
  /** Longer span names are cut with an ellipsis (default 80). */
  maxNameLength?: number;
  /** The trace's page in the web UI, printed under the tree when given. */
  traceUrl?: (traceId: string) => string;
}

const MARK_PATH = '*';
const MARK_ERROR = '✗';

/** ANSI styles, or identity functions when colour is off. */
export interface Paint {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

const sgr = (code: string) => (s: string) => `\x1b[${code}m${s}\x1b[0m`;
const plain = (s: string): string => s;

/** The painter for a colour setting. */
export function paint(color: boolean): Paint {
  return color
    ? { bold: sgr('1'), dim: sgr('2'), red: sgr('31'), yellow: sgr('1;33'), cyan: sgr('36') }
    : { bold: plain, dim: plain, red: plain, yellow: plain, cyan: plain };
}

/** Span names and messages come from the network: no control characters reach the terminal. */
export function printable(s: string, max: number): string {
  const clean = s.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
  return clean.length > max ? clean.slice(0, Math.max(1, max - 1)) + '…' : clean;
}

/**
 * Renders one trace as a tree across services, in the spirit of the tutorial's
 * "Debugging Slow Request": a header, one line per span (duration, critical-path mark,
 * service, indented name, error mark), the bottleneck marked, and a critical-path summary.
 */
export function formatTrace(tree: TraceTree, opts: FormatOptions = {}): string {
  const p = paint(opts.color ?? false);
  const maxName = opts.maxNameLength ?? 80;
  const root = mainRoot(tree);
  const path = root ? criticalPath(root) : undefined;
  const rows = walkTree(tree);
  const durations = rows.map((r) => formatDuration(r.node.end - r.node.start));
  const durWidth = Math.max(...durations.map((d) => d.length), 0);
  const serviceWidth = Math.max(...rows.map((r) => printable(r.node.span.service, 40).length), 0);

  const prefixes = treePrefixes(rows);
  const lines = [p.bold(header(tree))];
  rows.forEach((row, i) => {
    const { node } = row;
    const onPath = path?.nodes.has(node) ?? false;
    const mark = onPath ? p.cyan(MARK_PATH) : ' ';
    const service = printable(node.span.service, 40).padEnd(serviceWidth);
    const name = prefixes.get(row)! + printable(node.span.name || '(unnamed)', maxName);
    let line = `  ${durations[i]!.padStart(durWidth)}  ${mark} ${service}  ${name}`;
    if (!onPath) line = p.dim(line);
    if (isError(node.span)) line += '  ' + p.red(`${MARK_ERROR} ${printable(node.span.status.message || 'error', 60)}`);
    if (node.orphan) line += p.dim('  (parent not received)');
    if (path && node === path.bottleneck && path.nodes.size > 1) {
      line += '  ' + p.yellow(`← BOTTLENECK ${formatDuration(path.selfNs.get(node) ?? 0)} self`);
    }
    lines.push(line.trimEnd());
  });
  if (root && path) lines.push(summary(root, path.bottleneck, path.selfNs.get(path.bottleneck!) ?? 0));
  if (opts.traceUrl) lines.push(`Open in the web UI: ${p.cyan(opts.traceUrl(tree.traceId))}`);
  return lines.join('\n') + '\n';
}

function header(tree: TraceTree): string {
  const parts = [
    `Trace ${tree.traceId}`,
    formatDuration(tree.durationNs),
    `${tree.spanCount} ${tree.spanCount === 1 ? 'span' : 'spans'}`,
    tree.services.map((s) => printable(s, 40)).join(', '),
  ];
  if (tree.errorCount) parts.push(`${MARK_ERROR} ${tree.errorCount} ${tree.errorCount === 1 ? 'error' : 'errors'}`);
  if (!tree.hasRoot) parts.push('root span not received');
  return parts.join(' · ');
}

function summary(root: SpanNode, bottleneck: SpanNode | undefined, selfNs: number): string {
  const total = root.end - root.start;
  const head = `Critical path (${MARK_PATH}): ${formatDuration(total)}`;
  if (!bottleneck) return head;
  const share = total > 0 ? ` (${Math.round((selfNs / total) * 100)}%)` : '';
  return `${head}, bottleneck ${printable(bottleneck.span.service, 40)} "${printable(bottleneck.span.name, 80)}" ${formatDuration(selfNs)} self${share}`;
}

/** Indentation drawn deeper than this stays flat: a pathological chain must not print megabytes. */
const MAX_DRAWN_DEPTH = 40;

/** Box-drawing indentation per row: `├─ ` or `└─ ` after one `│  ` or blank per ancestor level. */
function treePrefixes(rows: readonly TreeRow[]): Map<TreeRow, string> {
  // What a row's descendants draw in its column; rows come parents first.
  const carry = new Map<TreeRow, string>();
  const prefixes = new Map<TreeRow, string>();
  for (const row of rows) {
    if (!row.parent) {
      prefixes.set(row, '');
      carry.set(row, '');
      continue;
    }
    const above = carry.get(row.parent)!;
    prefixes.set(row, above + (row.last ? '└─ ' : '├─ '));
    carry.set(row, row.depth >= MAX_DRAWN_DEPTH ? above : above + (row.last ? '   ' : '│  '));
  }
  return prefixes;
}
