import { describe, expect, it } from 'vitest';
import { criticalPath, selfTimeNs } from '../../src/view/critical-path';
import { buildTraceTree, mainRoot, walkTree, type SpanNode } from '../../src/view/trace-tree';
import { slowRequest, span, type SpanSpec } from './fixtures';

function tree(specs: SpanSpec[]): { root: SpanNode; byName: (n: string) => SpanNode } {
  const t = buildTraceTree(specs.map(span));
  const nodes = walkTree(t).map((r) => r.node);
  return { root: mainRoot(t)!, byName: (n) => nodes.find((x) => x.span.name === n)! };
}

const ms = (ns: number | undefined): number | undefined => (ns === undefined ? undefined : ns / 1e6);

describe('criticalPath', () => {
  it('finds the slow query as the bottleneck of the tutorial trace', () => {
    const t = buildTraceTree(slowRequest());
    const path = criticalPath(mainRoot(t)!);
    expect(path.bottleneck!.span.name).toBe('SELECT users');
    expect(ms(path.selfNs.get(path.bottleneck!))).toBe(1490);
    const offPath = walkTree(t).filter((r) => !path.nodes.has(r.node)).map((r) => r.node.span.name);
    expect(offPath).toEqual(['audit.write']);
  });

  it('segments tile the root without gaps or overlaps, in time order', () => {
    const path = criticalPath(mainRoot(buildTraceTree(slowRequest()))!);
    let cursor = 0;
    for (const seg of path.segments) {
      expect(seg.start).toBe(cursor);
      expect(seg.end).toBeGreaterThan(seg.start);
      cursor = seg.end;
    }
    expect(cursor).toBe(1530e6);
    expect(path.segments.map((s) => s.node.span.name).slice(0, 4)).toEqual(['GET /api/users/:id', 'POST', 'POST /validate', 'POST']);
  });

  it('of parallel children only the one finishing last is on the path', () => {
    const { root, byName } = tree([
      { id: 'r', service: 'a', name: 'root', start: 0, end: 100 },
      { id: 'p1', parent: 'r', service: 'a', name: 'fast', start: 10, end: 50 },
      { id: 'p2', parent: 'r', service: 'b', name: 'slow', start: 10, end: 90 },
    ]);
    const path = criticalPath(root);
    expect(path.nodes.has(byName('slow'))).toBe(true);
    expect(path.nodes.has(byName('fast'))).toBe(false);
    expect(ms(path.selfNs.get(root))).toBe(20);
    expect(ms(path.selfNs.get(byName('slow')))).toBe(80);
    expect(path.bottleneck).toBe(byName('slow'));
  });

  it('follows sequential children backwards, skipping one that overlaps the later sibling', () => {
    const { root, byName } = tree([
      { id: 'r', service: 'a', name: 'root', start: 0, end: 100 },
      { id: 'c1', parent: 'r', service: 'a', name: 'first', start: 0, end: 30 },
      { id: 'c2', parent: 'r', service: 'a', name: 'overlapping', start: 20, end: 50 },
      { id: 'c3', parent: 'r', service: 'a', name: 'last', start: 40, end: 100 },
    ]);
    const path = criticalPath(root);
    expect(path.segments.map((s) => [s.node.span.name, ms(s.start), ms(s.end)])).toEqual([
      ['first', 0, 30],
      ['root', 30, 40],
      ['last', 40, 100],
    ]);
    expect(path.nodes.has(byName('overlapping'))).toBe(false);
  });

  it('clips a child that outlives its parent (async work, clock skew) to the parent', () => {
    const { root, byName } = tree([
      { id: 'r', service: 'a', name: 'root', start: 0, end: 100 },
      { id: 'c', parent: 'r', service: 'b', name: 'skewed', start: 60, end: 500 },
    ]);
    const path = criticalPath(root);
    expect(ms(path.selfNs.get(byName('skewed')))).toBe(40);
    expect(ms(path.selfNs.get(root))).toBe(60);
    expect(path.bottleneck).toBe(root);
  });

  it('a span with no children is its own whole path', () => {
    const { root } = tree([{ id: 'r', service: 'a', name: 'only', start: 0, end: 7 }]);
    const path = criticalPath(root);
    expect(path.segments).toHaveLength(1);
    expect(path.bottleneck).toBe(root);
  });

  it('a parent fully covered by its child is on the path with no self time', () => {
    const { root, byName } = tree([
      { id: 'r', service: 'a', name: 'root', start: 0, end: 10 },
      { id: 'c', parent: 'r', service: 'a', name: 'child', start: 0, end: 10 },
    ]);
    const path = criticalPath(root);
    expect(path.nodes.has(root)).toBe(true);
    expect(path.selfNs.has(root)).toBe(false);
    expect(path.bottleneck).toBe(byName('child'));
  });
});

describe('selfTimeNs', () => {
  it('is the duration minus the union of the children, overlaps counted once', () => {
    const { root, byName } = tree([
      { id: 'r', service: 'a', name: 'root', start: 0, end: 100 },
      { id: 'c1', parent: 'r', service: 'a', name: 'c1', start: 10, end: 40 },
      { id: 'c2', parent: 'r', service: 'a', name: 'c2', start: 30, end: 60 },
      { id: 'c3', parent: 'r', service: 'a', name: 'c3', start: 90, end: 130 },
    ]);
    expect(ms(selfTimeNs(root))).toBe(100 - 50 - 10);
    expect(ms(selfTimeNs(byName('c3')))).toBe(40);
  });
});
