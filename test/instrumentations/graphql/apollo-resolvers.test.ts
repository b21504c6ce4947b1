import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanKind, trace } from '@opentelemetry/api';
import { DEFAULT_SETTINGS } from '../../../src/instrument';
import { pollSpans } from '../../helpers/spans';
import { nodeRequire, setupGraphql, type Any } from './helpers';

// Resolver spans under Apollo Server 5, whose plugin layer gives every field a resolver of
// its own when a request first executes: the instrumentation wraps the schema's resolvers at
// the first validation, before that, so fields without a resolver still make no span.
const settings = { ...DEFAULT_SETTINGS, graphql: { resolverSpans: true } };
const { agent } = setupGraphql({ enabled: ['http', 'graphql'], settings });
const tracer = trace.getTracer('test');

let url: string;
let stop: () => Promise<void>;

beforeAll(async () => {
  const { ApolloServer } = nodeRequire('@apollo/server') as Any;
  const { startStandaloneServer } = nodeRequire('@apollo/server/standalone') as Any;
  const server = new ApolloServer({
    typeDefs: 'type Post { title: String } type User { id: ID!, name: String, posts: [Post] } type Query { users(n: Int!): [User] }',
    resolvers: {
      Query: { users: (_: unknown, { n }: { n: number }) => Array.from({ length: n }, (__, i) => ({ id: String(i), name: `user ${i}` })) },
      User: {
        posts: (user: { id: string }) =>
          tracer.startActiveSpan('load posts', async (span) => {
            span.end();
            return [{ title: `post of ${user.id}` }];
          }),
      },
    },
  });
  ({ url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } }));
  stop = () => server.stop();
});
afterAll(() => stop?.());

describe('Apollo Server over HTTP, resolver spans on', () => {
  it('a 1,000-item list: the operation, `users` and `users.*.posts`, in the server span\'s trace; no span for id, name, title', async () => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'query Many { users(n: 1000) { id name posts { title } } }' }) });
    const body = (await res.json()) as Any;
    expect(body.data.users).toHaveLength(1000);
    const spans = await pollSpans(agent, (all) => (all.some((s) => s.kind === SpanKind.SERVER) ? all : undefined), 'the server span');
    const server = spans.find((s) => s.kind === SpanKind.SERVER)!;
    const graphql = spans.filter((s) => s.scope.name === 'waymark/graphql');
    expect(graphql.map((s) => s.name).sort()).toEqual(['graphql.resolve users', 'graphql.resolve users.*.posts', 'query Many']);
    const op = graphql.find((s) => s.name === 'query Many')!;
    const posts = graphql.find((s) => s.name === 'graphql.resolve users.*.posts')!;
    expect(op.parentSpanId).toBe(server.spanId);
    const loads = spans.filter((s) => s.name === 'load posts');
    expect(loads).toHaveLength(1000);
    for (const s of loads) expect(s.parentSpanId).toBe(posts.spanId);
  });
});
