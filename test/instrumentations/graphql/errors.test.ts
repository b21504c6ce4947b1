import { afterEach, describe, expect, it } from 'vitest';
import { SpanStatusCode } from '@opentelemetry/api';
import type { SpanRecord } from '../../../src/export/span-record';
import { inParent, spansOf, waitForSpansOf } from '../../helpers/spans';
import { buildSchema, GRAPHQL_VERSIONS_UNDER_TEST, setupGraphql } from './helpers';

// Parse, validation and execution errors: status ERROR with the message, exception events.
const { agent, load } = setupGraphql({ enabled: ['graphql'] });
afterEach(() => agent.reset());

function exceptions(span: SpanRecord): Array<Record<string, unknown>> {
  return span.events.filter((e) => e.name === 'exception').map((e) => e.attributes ?? {});
}

describe.each(GRAPHQL_VERSIONS_UNDER_TEST)('$graphql (graphql $major): errors', ({ graphql }) => {
  const g = load(graphql);
  const schema = buildSchema(g);

  it('a parse error: a graphql.parse span with ERROR, the syntax error as message and event, the redacted text; no operation span', async () => {
    const { result, parent } = await inParent(() => g.graphql({ schema, source: '{ user(id: "secret" { id } }' }));
    expect(result.errors[0].message).toMatch(/^Syntax Error/);
    const [span] = await waitForSpansOf(agent, 'graphql', 1);
    expect(span!.name).toBe('graphql.parse');
    expect(span!.parentSpanId).toBe(parent.spanContext().spanId);
    expect(span!.status).toEqual({ code: SpanStatusCode.ERROR, message: result.errors[0].message });
    expect(span!.attributes['error.type']).toBe('GraphQLError');
    expect(span!.attributes['graphql.document']).toBe('{ user(id: ? { id } }');
    expect(exceptions(span!).map((e) => e['exception.message'])).toEqual([result.errors[0].message]);
    expect(spansOf(agent, 'graphql')).toHaveLength(1);
  });

  it('a parse() that throws to its caller is recorded and rethrown as is', async () => {
    let thrown: unknown;
    try {
      g.parse('query {');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(g.GraphQLError);
    const [span] = await waitForSpansOf(agent, 'graphql', 1);
    expect(span!.name).toBe('graphql.parse');
    expect(span!.status.message).toBe((thrown as Error).message);
  });

  it('validation errors: a graphql.validate span with ERROR, the first message as status, one event per error; no operation span', async () => {
    const result = await g.graphql({ schema, source: 'query Bad { nope user { id } }' });
    expect(result.errors.map((e: Error) => e.message)).toHaveLength(2);
    const [span] = await waitForSpansOf(agent, 'graphql', 1);
    expect(span!.name).toBe('graphql.validate');
    expect(span!.attributes).toMatchObject({ 'graphql.operation.type': 'query', 'graphql.operation.name': 'Bad', 'graphql.document': 'query Bad { nope user { id } }', 'error.type': 'GraphQLError' });
    expect(span!.status).toEqual({ code: SpanStatusCode.ERROR, message: result.errors[0].message });
    expect(exceptions(span!).map((e) => e['exception.message'])).toEqual(result.errors.map((e: Error) => e.message));
    expect(spansOf(agent, 'graphql')).toHaveLength(1);
  });

  it('a resolver that throws: the operation span is ERROR with its message, the result keeps its data', async () => {
    const result = await g.graphql({ schema, source: 'query Boom { boom users(n: 1) { id } }' });
    expect(result.data).toEqual({ boom: null, users: [{ id: '0' }] });
    expect(result.errors.map((e: Error) => e.message)).toEqual(['kaboom']);
    const [span] = await waitForSpansOf(agent, 'graphql', 1);
    expect(span!.name).toBe('query Boom');
    expect(span!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'kaboom' });
    expect(exceptions(span!).map((e) => e['exception.message'])).toEqual(['kaboom']);
  });

  it('a resolver that rejects, and one that throws, in one operation: two events, the first as status', async () => {
    const result = await g.graphql({ schema, source: '{ slowBoom boom }' });
    expect(result.errors.map((e: Error) => e.message).sort()).toEqual(['kaboom', 'slow kaboom']);
    const [span] = await waitForSpansOf(agent, 'graphql', 1);
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.status.message).toBe(result.errors[0].message);
    expect(exceptions(span!).map((e) => e['exception.message'])).toEqual(result.errors.map((e: Error) => e.message));
  });

  it('an operation name the document lacks: `GraphQL Operation`, ERROR with graphql-js\'s message', async () => {
    const result = await g.graphql({ schema, source: 'query A { users { id } }', operationName: 'Missing' });
    expect(result.errors[0].message).toMatch(/Unknown operation named "Missing"/);
    const [span] = await waitForSpansOf(agent, 'graphql', 1);
    expect(span!.name).toBe('GraphQL Operation');
    expect(span!.attributes).not.toHaveProperty('graphql.operation.name');
    expect(span!.status).toEqual({ code: SpanStatusCode.ERROR, message: result.errors[0].message });
  });
});
