import { criticalPath, selfTimeNs, type CriticalPath } from '../critical-path';
import { buildTraceTree, mainRoot, walkTree, type SpanNode, type TraceTree } from '../trace-tree';
import type { ViewSpan } from '../view-span';
import { valueText } from './format';

/*
 * One trace as the trace page shows it: the tree and the critical path computed by the
 * same code as the terminal tree (trace-tree.ts, critical-path.ts), plus what the
 * waterfall needs to show, fold and search rows.
 */

export interface TraceModel {
  readonly tree: TraceTree;
  readonly root: SpanNode | undefined;
  readonly path: CriticalPath | undefined;
  /** Every node in display order (parents first), with its depth and parent. */
  readonly all: readonly SpanNode[];
  readonly depth: ReadonlyMap<SpanNode, number>;
  readonly parent: ReadonlyMap<SpanNode, SpanNode | undefined>;
  readonly byId: ReadonlyMap<string, SpanNode>;
  /** Critical-path stretches per node, nanoseconds from the trace start. */
  readonly pathSegments: ReadonlyMap<SpanNode, Array<[number, number]>>;
  readonly maxDepth: number;
}

export function buildModel(spans: readonly ViewSpan[]): TraceModel {
  const tree = buildTraceTree(spans);
  const root = mainRoot(tree);
  const path = root ? criticalPath(root) : undefined;
  const rows = walkTree(tree);
  const depth = new Map<SpanNode, number>();
  const parent = new Map<SpanNode, SpanNode | undefined>();
  const byId = new Map<string, SpanNode>();
  let maxDepth = 0;
  for (const r of rows) {
    depth.set(r.node, r.depth);
    parent.set(r.node, r.parent?.node);
    byId.set(r.node.span.spanId, r.node);
    if (r.depth > maxDepth) maxDepth = r.depth;
  }
  const pathSegments = new Map<SpanNode, Array<[number, number]>>();
  for (const s of path?.segments ?? []) {
    let list = pathSegments.get(s.node);
    if (!list) pathSegments.set(s.node, (list = []));
    list.push([s.start, s.end]);
  }
  return { tree, root, path, all: rows.map((r) => r.node), depth, parent, byId, pathSegments, maxDepth };
}

/** The nodes shown when the `collapsed` ones hide their descendants. */
export function visibleNodes(model: TraceModel, collapsed: ReadonlySet<SpanNode>): SpanNode[] {
  const out: SpanNode[] = [];
  let hideBelow = Infinity;
  for (const node of model.all) {
    const d = model.depth.get(node)!;
    if (d > hideBelow) continue;
    hideBelow = collapsed.has(node) && node.children.length ? d : Infinity;
    out.push(node);
  }
  return out;
}

/** The nodes whose name, service, id, attribute keys or values contain `text` (case-insensitive). */
export function findNodes(model: TraceModel, text: string): SpanNode[] {
  const needle = text.trim().toLowerCase();
  if (!needle) return [];
  const has = (s: string): boolean => s.toLowerCase().includes(needle);
  return model.all.filter(({ span }) => {
    if (has(span.name) || has(span.service) || has(span.spanId) || has(span.status.message)) return true;
    for (const [k, v] of Object.entries(span.attributes)) if (has(k) || has(valueText(v))) return true;
    return false;
  });
}

/** The node's ancestors, nearest first. */
export function ancestors(model: TraceModel, node: SpanNode): SpanNode[] {
  const out: SpanNode[] = [];
  for (let p = model.parent.get(node); p; p = model.parent.get(p)) out.push(p);
  return out;
}

export { selfTimeNs, type SpanNode };
