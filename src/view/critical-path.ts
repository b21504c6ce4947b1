import type { SpanNode } from './trace-tree';

/** A stretch of time during which `node` itself (none of its children) was on the critical path. */
export interface PathSegment {
  readonly node: SpanNode;
  readonly start: number;
  readonly end: number;
}

/** The chain of work that decided a request's latency. */
export interface CriticalPath {
  /** Segments in time order; they tile the root's duration without overlap. */
  readonly segments: PathSegment[];
  /** Time each span spent on the critical path itself, in nanoseconds. */
  readonly selfNs: Map<SpanNode, number>;
  /** Every span the path passes through, including those with no self time on it. */
  readonly nodes: Set<SpanNode>;
  /** The span with the most self time on the critical path. */
  readonly bottleneck: SpanNode | undefined;
}

interface Frame {
  node: SpanNode;
  /** The node's span clipped to its parent's frame. */
  lo: number;
  hi: number;
  /** Walking backwards: time before this point is still to be attributed. */
  cursor: number;
  /** Children clipped to [lo, hi], latest end first; `next` indexes the first not yet ruled out. */
  kids: Array<{ node: SpanNode; start: number; end: number }>;
  next: number;
}

/**
 * Computes the critical path under `root`: walking back from the root's end, the path
 * goes into the child that finished last, then from that child's start into the sibling
 * that finished before it, and so on; time no child covers belongs to the parent.
 * Children are clipped to their parent's time range, so clock skew between hosts and
 * fire-and-forget work cannot stretch the path.
 */
export function criticalPath(root: SpanNode): CriticalPath {
  const reversed: PathSegment[] = [];
  const nodes = new Set<SpanNode>([root]);
  const stack: Frame[] = [frame(root, root.start, root.end)];
  while (stack.length) {
    const f = stack[stack.length - 1]!;
    if (f.cursor <= f.lo) {
      stack.pop();
      continue;
    }
    while (f.next < f.kids.length && f.kids[f.next]!.end > f.cursor) f.next++;
    const kid = f.kids[f.next];
    if (!kid) {
      reversed.push({ node: f.node, start: f.lo, end: f.cursor });
      stack.pop();
      continue;
    }
    f.next++;
    if (kid.end < f.cursor) reversed.push({ node: f.node, start: kid.end, end: f.cursor });
    f.cursor = kid.start;
    nodes.add(kid.node);
    stack.push(frame(kid.node, kid.start, kid.end));
  }
  const segments = reversed.reverse();
  const selfNs = new Map<SpanNode, number>();
  for (const s of segments) selfNs.set(s.node, (selfNs.get(s.node) ?? 0) + s.end - s.start);
  let bottleneck: SpanNode | undefined;
  for (const [node, ns] of selfNs) if (!bottleneck || ns > selfNs.get(bottleneck)!) bottleneck = node;
  return { segments, selfNs, nodes, bottleneck };
}

function frame(node: SpanNode, lo: number, hi: number): Frame {
  const kids = node.children
    .map((c) => ({ node: c, start: Math.max(c.start, lo), end: Math.min(c.end, hi) }))
    .filter((k) => k.end > k.start)
    // Latest end first; on a tie the longer child (earlier start) covers more of the path.
    .sort((a, b) => b.end - a.end || a.start - b.start);
  return { node, lo, hi, cursor: hi, kids, next: 0 };
}

/** A span's own time: its duration minus the time covered by any of its children. */
export function selfTimeNs(node: SpanNode): number {
  const spans = node.children
    .map((c) => [Math.max(c.start, node.start), Math.min(c.end, node.end)] as const)
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0]);
  let covered = 0;
  let reach = node.start;
  for (const [s, e] of spans) {
    if (e <= reach) continue;
    covered += e - Math.max(s, reach);
    reach = e;
  }
  return node.end - node.start - covered;
}
