import { isError, type ViewSpan } from './view-span';

/** A span in its trace's tree, with times relative to the trace's start. */
export interface SpanNode {
  readonly span: ViewSpan;
  /** Nanoseconds since the earliest span of the trace started. */
  readonly start: number;
  /** Nanoseconds since the earliest span of the trace started; never before `start`. */
  readonly end: number;
  /** Children in start order. */
  readonly children: SpanNode[];
  /** The span names a parent that was not received (or that formed a cycle). */
  orphan: boolean;
}

/** One trace as a tree across services. */
export interface TraceTree {
  readonly traceId: string;
  /** Epoch nanoseconds of the earliest span start. */
  readonly startUnixNano: bigint;
  /** From the earliest start to the latest end, in nanoseconds. */
  readonly durationNs: number;
  /** Spans without a parent first, then orphans; each group in start order. */
  readonly roots: SpanNode[];
  readonly spanCount: number;
  /** Services in the order they first appear in time. */
  readonly services: string[];
  readonly errorCount: number;
  /** True when a span without a parent (the trace's root) was received. */
  readonly hasRoot: boolean;
}

/** Epoch nanoseconds from a decimal string; 0 for anything unparsable. */
export function unixNanos(text: string): bigint {
  return /^\d{1,20}$/.test(text) ? BigInt(text) : 0n;
}

/**
 * Builds the tree of one trace's spans (all with the same trace id). A span received
 * twice counts once (the last copy wins); a span whose parent is missing becomes an
 * orphan root, and so does one caught in a parent cycle.
 */
export function buildTraceTree(spans: readonly ViewSpan[]): TraceTree {
  const unique = new Map<string, ViewSpan>();
  for (const s of spans) unique.set(s.spanId, s);
  const list = [...unique.values()];
  const traceStart = list.reduce((min, s) => {
    const t = unixNanos(s.startTimeUnixNano);
    return t < min ? t : min;
  }, list.length ? unixNanos(list[0]!.startTimeUnixNano) : 0n);

  const nodes = new Map<string, SpanNode>();
  for (const s of list) {
    const start = Number(unixNanos(s.startTimeUnixNano) - traceStart);
    const end = Math.max(start, Number(unixNanos(s.endTimeUnixNano) - traceStart));
    nodes.set(s.spanId, { span: s, start, end, children: [], orphan: false });
  }
  const roots: SpanNode[] = [];
  for (const node of nodes.values()) {
    const parentId = node.span.parentSpanId;
    const parent = parentId ? nodes.get(parentId) : undefined;
    if (parent && parent !== node) parent.children.push(node);
    else {
      node.orphan = parentId !== '';
      roots.push(node);
    }
  }
  breakCycles(nodes, roots);
  for (const node of nodes.values()) node.children.sort(byStart);
  roots.sort((a, b) => Number(a.orphan) - Number(b.orphan) || byStart(a, b));

  const ordered = [...nodes.values()].sort(byStart);
  return {
    traceId: list[0]?.traceId ?? '',
    startUnixNano: traceStart,
    durationNs: ordered.reduce((max, n) => Math.max(max, n.end), 0),
    roots,
    spanCount: nodes.size,
    services: [...new Set(ordered.map((n) => n.span.service))],
    errorCount: list.filter(isError).length,
    hasRoot: roots.some((r) => !r.orphan),
  };
}

/** The root the trace is about: its parentless span, else its longest orphan. */
export function mainRoot(tree: TraceTree): SpanNode | undefined {
  const real = tree.roots.find((r) => !r.orphan);
  if (real) return real;
  return tree.roots.reduce<SpanNode | undefined>((best, r) => (!best || r.end - r.start > best.end - best.start ? r : best), undefined);
}

/** One line of a tree walk. */
export interface TreeRow {
  readonly node: SpanNode;
  readonly depth: number;
  /** True when the node is its parent's last child (roots: the last root). */
  readonly last: boolean;
  /** The row of the node's parent; undefined for roots. */
  readonly parent: TreeRow | undefined;
}

/** Every node of the tree, parents before children, in display order. */
export function walkTree(tree: TraceTree): TreeRow[] {
  const out: TreeRow[] = [];
  // Iterative: a malicious or buggy sender can make a very deep chain.
  const stack: TreeRow[] = tree.roots.map((node, i) => ({ node, depth: 0, last: i === tree.roots.length - 1, parent: undefined })).reverse();
  while (stack.length) {
    const row = stack.pop()!;
    out.push(row);
    const kids = row.node.children;
    for (let i = kids.length - 1; i >= 0; i--) {
      stack.push({ node: kids[i]!, depth: row.depth + 1, last: i === kids.length - 1, parent: row });
    }
  }
  return out;
}

function byStart(a: SpanNode, b: SpanNode): number {
  return a.start - b.start || (a.span.name < b.span.name ? -1 : a.span.name > b.span.name ? 1 : 0) || (a.span.spanId < b.span.spanId ? -1 : 1);
}

/** Nodes unreachable from the roots sit on a parent cycle: cut each cycle at one node. */
function breakCycles(nodes: Map<string, SpanNode>, roots: SpanNode[]): void {
  const seen = new Set<SpanNode>();
  const visit = (from: SpanNode): void => {
    const stack = [from];
    while (stack.length) {
      const n = stack.pop()!;
      if (seen.has(n)) continue;
      seen.add(n);
      stack.push(...n.children);
    }
  };
  roots.forEach(visit);
  for (const node of nodes.values()) {
    if (seen.has(node)) continue;
    const parent = nodes.get(node.span.parentSpanId);
    if (parent) parent.children.splice(parent.children.indexOf(node), 1);
    node.orphan = true;
    roots.push(node);
    visit(node);
  }
}
