import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanKind } from '@opentelemetry/api';
import type { SpanRecord } from '../../../src/export/span-record';
import { nodeRequire } from '../../helpers/tracing';
import { close, createCatsApp, listen, loadNest, NEST_VERSIONS_UNDER_TEST, PLATFORMS, pollSpans, serverSpanFor, setupNest, type Any } from './helpers';

// The route's guard, pipe and interceptor (an RxJS pipeline) each await a timer before the
// handler queries PostgreSQL: the query must still be a child of the request's spans, in the
// request's own trace when requests overlap.
const { agent } = setupNest();
const pg = nodeRequire('pg') as Any;
const client = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' });
beforeAll(() => client.connect());
afterAll(() => client.end());

const work = async (id: string): Promise<unknown> => (await client.query('SELECT $1::text AS cat', [id])).rows[0].cat;

describe.each(NEST_VERSIONS_UNDER_TEST.flatMap((v) => PLATFORMS.map((platform) => ({ ...v, platform }))))(
  'Nest $major on $platform: async guard, pipe and interceptor keep the request context',
  ({ tested, platform }) => {
    let app: Any;
    let base: string;
    beforeAll(async () => {
      app = await createCatsApp(loadNest(tested, platform), work);
      base = await listen(app);
    });
    afterAll(() => close(app));

    it('the handler’s query is under findOne, under CatsController.findOne, under the server span of its own request', async () => {
      const ids = ['11', '12', '13', '14'];
      const bodies = await Promise.all(ids.map(async (id) => (await fetch(`${base}/cats/${id}`)).json()));
      expect(bodies).toEqual(ids.map((id) => ({ id, work: id, intercepted: true })));

      for (const id of ids) {
        const server = await serverSpanFor(agent, base, `/cats/${id}`);
        const trace = await pollSpans(agent, (all) => {
          const spans = all.filter((s) => s.traceId === server.traceId);
          return spans.some((s) => s.scope.name === 'waymark/pg') && spans.length >= 4 ? spans : undefined;
        }, `the spans of /cats/${id}`);
        const query = only(trace.filter((s) => s.scope.name === 'waymark/pg'));
        expect(query.kind).toBe(SpanKind.CLIENT);
        const handler = byId(trace, query.parentSpanId);
        expect(handler.name).toBe('findOne');
        const context = byId(trace, handler.parentSpanId);
        expect(context.name).toBe('CatsController.findOne');
        expect(context.parentSpanId).toBe(server.spanId);
        // Each request's query is its own: four requests, four traces with one query each.
        expect(query.attributes['db.query.text']).toBe('SELECT $1::text AS cat');
      }
    });
  },
);

function byId(spans: SpanRecord[], id: string | undefined): SpanRecord {
  const found = spans.find((s) => s.spanId === id);
  expect(found, `span ${id}`).toBeDefined();
  return found!;
}

function only(spans: SpanRecord[]): SpanRecord {
  expect(spans).toHaveLength(1);
  return spans[0]!;
}
