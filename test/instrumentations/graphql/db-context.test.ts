import { afterAll, describe, expect, it } from 'vitest';
import { SpanKind } from '@opentelemetry/api';
import { inParent, waitForSpansOf } from '../../helpers/spans';
import { PG_CONFIG } from '../pg/helpers';
import { buildSchema, GRAPHQL_VERSIONS_UNDER_TEST, nodeRequire, setupGraphql, type Any } from './helpers';

// A resolver querying the local PostgreSQL: the query's span is a child of the operation's.
const { agent, load } = setupGraphql({ enabled: ['graphql', 'pg'] });
const pg = nodeRequire('pg') as Any;
const pool = new pg.Pool({ ...PG_CONFIG, max: 2 });
afterAll(() => pool.end());

describe.each(GRAPHQL_VERSIONS_UNDER_TEST)('$graphql (graphql $major): a database call in a resolver', ({ graphql }) => {
  const g = load(graphql);

  it('is a child of the operation span, which is a child of the caller\'s', async () => {
    agent.reset();
    const schema = buildSchema(g, { onUser: (id) => pool.query('SELECT $1::text AS id', [id]) });
    const { result, parent } = await inParent(() => g.graphql({ schema, source: 'query Db { a: user(id: 1) { id } b: user(id: 2) { id } }' }));
    expect(result.data).toEqual({ a: { id: '1' }, b: { id: '2' } });
    const [op] = await waitForSpansOf(agent, 'graphql', 1);
    const queries = await waitForSpansOf(agent, 'pg', 2);
    expect(op!.name).toBe('query Db');
    expect(op!.parentSpanId).toBe(parent.spanContext().spanId);
    const selects = queries.filter((s) => s.name === 'SELECT');
    expect(selects).toHaveLength(2);
    for (const s of selects) {
      expect(s.kind).toBe(SpanKind.CLIENT);
      expect(s.parentSpanId).toBe(op!.spanId);
    }
  });
});
