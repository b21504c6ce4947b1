import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { SpanRecord } from '../../../src/export/span-record';
import { pollSpans } from '../../helpers/spans';
import { nodeRequire, setupGraphql, type Any } from './helpers';

// A real Apollo Server 5 (on graphql 16) over HTTP, under the http and graphql
// instrumentations: the operation span is a child of the request's server span, and what a
// resolver does is a child of the operation.
const { agent } = setupGraphql({ enabled: ['http', 'graphql'] });
const tracer = trace.getTracer('test');

let url: string;
let stop: () => Promise<void>;

beforeAll(async () => {
  const { ApolloServer } = nodeRequire('@apollo/server') as Any;
  const { startStandaloneServer } = nodeRequire('@apollo/server/standalone') as Any;
  const server = new ApolloServer({
    typeDefs: 'type User { id: ID!, name: String } type Query { user(id: ID!): User } type Mutation { rename(id: ID!, name: String!): User }',
    resolvers: {
      Query: {
        user: (_: unknown, { id }: { id: string }) =>
          tracer.startActiveSpan('load user', async (span) => {
            await new Promise((r) => setTimeout(r, 2));
            span.end();
            return { id, name: `user ${id}` };
          }),
      },
      Mutation: { rename: (_: unknown, a: { id: string; name: string }) => a },
    },
  });
  ({ url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } }));
  stop = () => server.stop();
});
afterAll(() => stop?.());

async function post(body: Record<string, unknown>): Promise<{ status: number; json: Any }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

/** The finished server span of the request whose graphql span is named `name`, and that span. */
function requestOf(name: string): Promise<{ server: SpanRecord; op: SpanRecord }> {
  return pollSpans(
    agent,
    (spans) => {
      const op = spans.find((s) => s.name === name && s.scope.name === 'waymark/graphql');
      const server = op && spans.find((s) => s.kind === SpanKind.SERVER && s.spanId === op.parentSpanId);
      return op && server ? { server, op } : undefined;
    },
    `the server span above ${name}`,
  );
}

describe('Apollo Server over HTTP', () => {
  it('a named query: `query GetUser` inside the POST server span, the resolver\'s span inside it, the id not in the document', async () => {
    const res = await post({ query: 'query GetUser { user(id: "u-secret") { id name } }', operationName: 'GetUser' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ data: { user: { id: 'u-secret', name: 'user u-secret' } } });
    const { server, op } = await requestOf('query GetUser');
    expect(server.name).toBe('POST');
    expect(op.traceId).toBe(server.traceId);
    expect(op.attributes).toEqual({ 'graphql.operation.type': 'query', 'graphql.operation.name': 'GetUser', 'graphql.document': 'query GetUser { user(id: ?) { id name } }' });
    const load = agent.finishedSpans().find((s) => s.name === 'load user' && s.traceId === op.traceId)!;
    expect(load.parentSpanId).toBe(op.spanId);
    expect(op.startTime).toBeGreaterThanOrEqual(server.startTime);
    expect(op.endTime).toBeLessThanOrEqual(server.endTime);
  });

  it('a mutation with variables: `mutation Rename`, variable names kept, their values never read', async () => {
    const res = await post({ query: 'mutation Rename($id: ID!, $name: String!) { rename(id: $id, name: $name) { id name } }', variables: { id: '9', name: 'secret-name' } });
    expect(res.json).toEqual({ data: { rename: { id: '9', name: 'secret-name' } } });
    const { op } = await requestOf('mutation Rename');
    expect(op.attributes['graphql.document']).toBe('mutation Rename($id: ID!, $name: String!) { rename(id: $id, name: $name) { id name } }');
    expect(JSON.stringify(op)).not.toContain('secret-name');
  });

  it('a syntax error: Apollo answers 400, a graphql.parse span with ERROR inside the server span', async () => {
    const res = await post({ query: '{ user(id: "x" { id } }' });
    expect(res.status).toBe(400);
    const { op: parse } = await requestOf('graphql.parse');
    expect(parse.status.code).toBe(SpanStatusCode.ERROR);
    expect(parse.status.message).toBe(res.json.errors[0].message);
  });

  it('a validation error: Apollo answers 400, a graphql.validate span with ERROR inside the server span', async () => {
    const res = await post({ query: 'query Nope { nope }' });
    expect(res.status).toBe(400);
    const { op: validate } = await requestOf('graphql.validate');
    expect(validate.status).toEqual({ code: SpanStatusCode.ERROR, message: res.json.errors[0].message });
    expect(validate.attributes['graphql.operation.name']).toBe('Nope');
  });
});
