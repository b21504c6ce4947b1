import { describe, expect, it } from 'vitest';
import { buildTraceTree, mainRoot, walkTree } from '../../src/view/trace-tree';
import { failingRequest, slowRequest, span, spanId, T0 } from './fixtures';

const names = (nodes: Array<{ span: { name: string } }>): string[] => nodes.map((n) => n.span.name);

describe('buildTraceTree', () => {
  it('nests spans under their parents across services, children in start order', () => {
    const tree = buildTraceTree(slowRequest().reverse());
    expect(tree.roots).toHaveLength(1);
    const root = tree.roots[0]!;
    expect(root.span.name).toBe('GET /api/users/:id');
    expect(names(root.children)).toEqual(['POST', 'audit.write', 'GET']);
    expect(names(root.children[0]!.children)).toEqual(['POST /validate']);
    const users = root.children[2]!.children[0]!;
    expect(users.span.service).toBe('users');
    expect(names(users.children)).toEqual(['GET', 'pg.connect', 'SELECT users', 'SET']);
  });

  it('summarises the trace: times relative to its start, services in order of appearance, errors', () => {
    const tree = buildTraceTree(slowRequest());
    expect(tree.startUnixNano).toBe(T0);
    expect(tree.durationNs).toBe(1530e6);
    expect(tree.spanCount).toBe(10);
    expect(tree.services).toEqual(['gateway', 'auth', 'users']);
    expect(tree.errorCount).toBe(0);
    expect(tree.hasRoot).toBe(true);
    expect(buildTraceTree(failingRequest()).errorCount).toBe(3);
    const select = walkTree(tree).find((r) => r.node.span.name === 'SELECT users')!.node;
    expect([select.start, select.end]).toEqual([24e6, 1514e6]);
  });

  it('counts a span received twice once', () => {
    const spans = slowRequest();
    const tree = buildTraceTree([...spans, spans[7]!]);
    expect(tree.spanCount).toBe(10);
    expect(walkTree(tree)).toHaveLength(10);
  });

  it('keeps spans whose parent never arrived as orphan roots after the real root', () => {
    const spans = slowRequest().filter((s) => s.name !== 'GET' || s.service !== 'gateway');
    const tree = buildTraceTree(spans);
    expect(tree.roots.map((r) => [r.span.name, r.orphan])).toEqual([
      ['GET /api/users/:id', false],
      ['GET /users/:id', true],
    ]);
    expect(mainRoot(tree)!.span.name).toBe('GET /api/users/:id');
  });

  it('without a root, reports it and picks the longest orphan as the main root', () => {
    const tree = buildTraceTree(slowRequest().slice(1));
    expect(tree.hasRoot).toBe(false);
    expect(mainRoot(tree)!.span.name).toBe('GET');
    expect(tree.roots.map((r) => r.span.name)).toEqual(['POST', 'audit.write', 'GET']);
  });

  it('breaks a parent cycle instead of losing or looping over its spans', () => {
    const a = span({ id: 'a', parent: 'b', service: 's', name: 'a', start: 0, end: 2 });
    const b = span({ id: 'b', parent: 'a', service: 's', name: 'b', start: 1, end: 3 });
    const self = { ...span({ id: 'c', service: 's', name: 'c', start: 0, end: 1 }), parentSpanId: spanId('c') };
    const tree = buildTraceTree([a, b, self]);
    expect(walkTree(tree).map((r) => r.node.span.name).sort()).toEqual(['a', 'b', 'c']);
    expect(tree.roots.every((r) => r.orphan)).toBe(true);
  });

  it('clamps an end before the start to a zero duration', () => {
    const s = span({ id: 'x', service: 's', name: 'x', start: 5, end: 1 });
    const node = buildTraceTree([s]).roots[0]!;
    expect(node.end - node.start).toBe(0);
  });

  it('walks depth first, knowing each row\'s parent row and whether it is the last child', () => {
    const rows = walkTree(buildTraceTree(slowRequest()));
    expect(rows.map((r) => `${r.depth}:${r.node.span.name}:${Number(r.last)}:${r.parent?.node.span.name ?? '-'}`)).toEqual([
      '0:GET /api/users/:id:1:-',
      '1:POST:0:GET /api/users/:id',
      '2:POST /validate:1:POST',
      '1:audit.write:0:GET /api/users/:id',
      '1:GET:1:GET /api/users/:id',
      '2:GET /users/:id:1:GET',
      '3:GET:0:GET /users/:id',
      '3:pg.connect:0:GET /users/:id',
      '3:SELECT users:0:GET /users/:id',
      '3:SET:1:GET /users/:id',
    ]);
  });

  it('handles a 20 000-deep chain without recursion limits', () => {
    const chain = Array.from({ length: 20_000 }, (_, i) =>
      span({ id: `n${i}`, parent: i ? `n${i - 1}` : undefined, service: 's', name: `n${i}`, start: i / 1000, end: 100 }),
    );
    expect(walkTree(buildTraceTree(chain))).toHaveLength(20_000);
  });
});
