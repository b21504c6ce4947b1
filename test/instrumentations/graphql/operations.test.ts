import { afterEach, describe, expect, it } from 'vitest';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { inParent, spansOf, waitForSpansOf } from '../../helpers/spans';
import { buildSchema, GRAPHQL_VERSIONS_UNDER_TEST, setupGraphql } from './helpers';

// The operation span of graphql 15 and 16 (patched) and 17 (tracing channels), in process.
const { agent, load } = setupGraphql({ enabled: ['graphql'] });
afterEach(() => agent.reset());

describe.each(GRAPHQL_VERSIONS_UNDER_TEST)('$graphql (graphql $major): one span per operation', ({ graphql }) => {
  const g = load(graphql);
  const schema = buildSchema(g);

  it('names a named query `query GetUser`, with type, name and the document; nothing else for a successful request', async () => {
    const source = 'query GetUser($id: ID!) { user(id: $id) { id name } }';
    const result = await g.graphql({ schema, source, variableValues: { id: 'u-7' } });
    expect(result).toEqual({ data: { user: { id: 'u-7', name: 'user u-7' } } });
    const [span] = await waitForSpansOf(agent, 'graphql', 1);
    expect(span!.name).toBe('query GetUser');
    expect(span!.kind).toBe(SpanKind.INTERNAL);
    expect(span!.attributes).toEqual({
      'graphql.operation.type': 'query',
      'graphql.operation.name': 'GetUser',
      'graphql.document': 'query GetUser($id: ID!) { user(id: $id) { id name } }',
    });
    expect(span!.status.code).toBe(SpanStatusCode.UNSET);
    // The successful parse and validation make no span: one per operation.
    expect(spansOf(agent, 'graphql')).toHaveLength(1);
  });

  it('names an anonymous query `query` and leaves graphql.operation.name unset; literals become ?', async () => {
    const source = `{
      user(id: "secret-id-123") { id posts { title } } # a comment with "secret"
    }`;
    const result = await g.graphql({ schema, source });
    expect(result.data.user.id).toBe('secret-id-123');
    const [span] = await waitForSpansOf(agent, 'graphql', 1);
    expect(span!.name).toBe('query');
    expect(span!.attributes['graphql.operation.type']).toBe('query');
    expect(span!.attributes).not.toHaveProperty('graphql.operation.name');
    expect(span!.attributes['graphql.document']).toBe('{ user(id: ?) { id posts { title } } }');
    expect(JSON.stringify(span)).not.toContain('secret');
  });

  it('names a mutation `mutation Rename`; string, int, float and block-string literals are replaced, variables and enums kept', async () => {
    const source = 'mutation Rename($id: ID!) { rename(id: $id, name: """Block "secret" text""") { id } other: rename(id: 42, name: "x") { name } f: rename(id: 3, weight: -1.5e3, role: ADMIN, name: null) { id } }';
    const result = await g.graphql({ schema, source, variableValues: { id: 'v-1' } });
    expect(result.errors).toBeUndefined();
    const [span] = await waitForSpansOf(agent, 'graphql', 1);
    expect(span!.name).toBe('mutation Rename');
    expect(span!.attributes['graphql.operation.type']).toBe('mutation');
    expect(span!.attributes['graphql.document']).toBe('mutation Rename($id: ID!) { rename(id: $id, name: ?) { id } other: rename(id: ?, name: ?) { name } f: rename(id: ?, weight: ?, role: ADMIN, name: null) { id } }');
  });

  it('names the operation the request selects from a document with several', async () => {
    const source = 'query A { users { id } } query B { user(id: 1) { id } }';
    await g.graphql({ schema, source, operationName: 'B' });
    const [span] = await waitForSpansOf(agent, 'graphql', 1);
    expect(span!.name).toBe('query B');
    expect(span!.attributes['graphql.document']).toBe('query A { users { id } } query B { user(id: ?) { id } }');
  });

  it('traces execute() and executeSync() called directly with a parsed document, as a child of the active span', async () => {
    const document = g.parse('query Sync { users(n: 2) { id } }');
    const { parent } = await inParent(async () => {
      const sync = g.executeSync({ schema, document });
      expect(sync.data.users).toHaveLength(2);
      return g.execute({ schema, document });
    });
    const spans = await waitForSpansOf(agent, 'graphql', 2);
    expect(spans.map((s) => s.name)).toEqual(['query Sync', 'query Sync']);
    for (const s of spans) {
      expect(s.parentSpanId).toBe(parent.spanContext().spanId);
      expect(s.traceId).toBe(parent.spanContext().traceId);
    }
  });

  it('runs resolvers in the operation span: a span a resolver starts is its child, the caller context comes back after', async () => {
    const tracer = trace.getTracer('test');
    const withHook = buildSchema(g, {
      onUser: (id) => tracer.startActiveSpan(`load ${id}`, async (span) => {
        await new Promise((r) => setTimeout(r, 1));
        span.end();
      }),
    });
    const { parent } = await inParent(async (p) => {
      await g.graphql({ schema: withHook, source: 'query Ctx { a: user(id: 1) { id } b: user(id: 2) { id } }' });
      expect(trace.getActiveSpan()).toBe(p);
    });
    const op = (await waitForSpansOf(agent, 'graphql', 1))[0]!;
    expect(op.parentSpanId).toBe(parent.spanContext().spanId);
    const loads = agent.finishedSpans().filter((s) => s.name.startsWith('load '));
    expect(loads.map((s) => s.name).sort()).toEqual(['load 1', 'load 2']);
    for (const s of loads) expect(s.parentSpanId).toBe(op.spanId);
    // The operation ends after its resolvers.
    expect(Math.max(...loads.map((s) => s.endTime))).toBeLessThanOrEqual(op.endTime);
  });
});
