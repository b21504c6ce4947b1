import { afterEach, describe, expect, it } from 'vitest';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { DEFAULT_SETTINGS } from '../../../src/instrument';
import { waitForSpansOf } from '../../helpers/spans';
import { buildSchema, GRAPHQL_VERSIONS_UNDER_TEST, setupGraphql } from './helpers';

// What WAYMARK_GRAPHQL_RESOLVER_SPANS=true gives the instrumentation, through its kit.
const settings = { ...DEFAULT_SETTINGS, graphql: { resolverSpans: true } };
const { agent, load } = setupGraphql({ enabled: ['graphql'], settings });
afterEach(() => agent.reset());

describe.each(GRAPHQL_VERSIONS_UNDER_TEST)('$graphql (graphql $major): resolver spans when enabled', ({ graphql }) => {
  const g = load(graphql);

  it('a 1,000-item list: one span per field path (indexes collapsed), none for fields without a resolver', async () => {
    const schema = buildSchema(g);
    const result = await g.graphql({ schema, source: 'query Many { users(n: 1000) { id name posts { title } } }' });
    expect(result.errors).toBeUndefined();
    expect(result.data.users).toHaveLength(1000);
    expect(result.data.users[999].posts).toEqual([{ title: 'post of 999' }]);
    const spans = await waitForSpansOf(agent, 'graphql', 3);
    // users (own resolver) and users.*.posts (own resolver, called 1,000 times); id, name and
    // title are read by graphql's default resolver: no span.
    expect(spans.map((s) => s.name).sort()).toEqual(['graphql.resolve users', 'graphql.resolve users.*.posts', 'query Many']);
    const op = spans.find((s) => s.name === 'query Many')!;
    const users = spans.find((s) => s.name === 'graphql.resolve users')!;
    const posts = spans.find((s) => s.name === 'graphql.resolve users.*.posts')!;
    expect(users.parentSpanId).toBe(op.spanId);
    expect(posts.parentSpanId).toBe(users.spanId);
    expect(users.attributes).toEqual({ 'graphql.field.name': 'users', 'graphql.field.path': 'users', 'graphql.field.type': '[User]' });
    expect(posts.attributes).toEqual({ 'graphql.field.name': 'posts', 'graphql.field.path': 'users.*.posts', 'graphql.field.type': '[Post]' });
    // The collapsed span covers its calls; both end within the operation.
    for (const s of [users, posts]) {
      expect(s.startTime).toBeGreaterThanOrEqual(op.startTime);
      expect(s.endTime).toBeLessThanOrEqual(op.endTime);
    }
    expect(posts.startTime).toBeGreaterThanOrEqual(users.startTime);
  });

  it('a resolver\'s own calls are children of its span; an async resolver\'s span covers its await', async () => {
    const tracer = trace.getTracer('test');
    const schema = buildSchema(g, {
      onUser: (id) => tracer.startActiveSpan(`load ${id}`, async (span) => {
        await new Promise((r) => setTimeout(r, 5));
        span.end();
      }),
    });
    await g.graphql({ schema, source: '{ user(id: 1) { id } }' });
    const spans = await waitForSpansOf(agent, 'graphql', 2);
    const user = spans.find((s) => s.name === 'graphql.resolve user')!;
    const load1 = agent.finishedSpans().find((s) => s.name === 'load 1')!;
    expect(load1.parentSpanId).toBe(user.spanId);
    expect(user.endTime).toBeGreaterThanOrEqual(load1.endTime);
  });

  it('a resolver that throws: its span is ERROR with the message, and so is the operation', async () => {
    const schema = buildSchema(g);
    await g.graphql({ schema, source: 'query B { boom slowBoom }' });
    const spans = await waitForSpansOf(agent, 'graphql', 3);
    const boom = spans.find((s) => s.name === 'graphql.resolve boom')!;
    const slow = spans.find((s) => s.name === 'graphql.resolve slowBoom')!;
    expect(boom.status).toEqual({ code: SpanStatusCode.ERROR, message: 'kaboom' });
    expect(slow.status).toEqual({ code: SpanStatusCode.ERROR, message: 'slow kaboom' });
    expect(slow.attributes['error.type']).toBe('TypeError');
    expect(spans.find((s) => s.name === 'query B')!.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('outside a traced operation a wrapped resolver runs as is: no span', async () => {
    const schema = buildSchema(g);
    const users = schema.getQueryType().getFields().users;
    expect(users.resolve(undefined, { n: 2 }, undefined, { fieldName: 'users', path: { key: 'users' } })).toHaveLength(2);
    await g.graphql({ schema, source: '{ users(n: 1) { id } }' });
    const spans = await waitForSpansOf(agent, 'graphql', 2);
    expect(spans.map((s) => s.name).sort()).toEqual(['graphql.resolve users', 'query']);
  });
});
