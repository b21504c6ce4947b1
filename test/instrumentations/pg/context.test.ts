import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { trace } from '@opentelemetry/api';
import type { SpanRecord } from '../../../src/export/span-record';
import { waitForServerSpans, waitForSpansOf } from '../../helpers/spans';
import { nodeRequire } from '../../helpers/tracing';
import { PG_CONFIG, setupPg } from './helpers';

// Real Express 5 over the agent's http and express instrumentations.
const { agent, hooks, pg } = setupPg({ enabled: ['http', 'express', 'pg'] });
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const express = nodeRequire('express') as any;
const tracer = trace.getTracer('test');
// Per process: other checkouts run the same tests against the same server.
const TABLE = `waymark_pg_context_${process.pid}`;

// A small pool shared by every request, so queries wait for connections other requests release.
const pool = new pg.Pool({ ...PG_CONFIG, max: 3 });
let server: Server;
let base: string;

beforeAll(async () => {
  await pool.query(`DROP TABLE IF EXISTS ${TABLE}`);
  await pool.query(`CREATE TABLE ${TABLE} (id int PRIMARY KEY, name text)`);
  await pool.query(`INSERT INTO ${TABLE} SELECT g, 'user' || g FROM generate_series(1, 60) g`);

  const app = express();
  app.get('/users/:id', async (req: { params: { id: string } }, res: { json(v: unknown): void }) => {
    const { rows } = await pool.query(`SELECT name FROM ${TABLE} WHERE id = $1`, [Number(req.params.id)]);
    res.json(rows);
  });
  // Callback style, nested: the second query starts inside the first one's callback.
  app.get('/cb/:id', (req: { params: { id: string } }, res: { json(v: unknown): void; status(n: number): { end(): void } }) => {
    pool.query(`SELECT pg_sleep(0.005), $1::int AS id`, [Number(req.params.id)], (err: Error | null) => {
      if (err) return res.status(500).end();
      pool.query(`SELECT name FROM ${TABLE} WHERE id = $1`, [Number(req.params.id)], (err2: Error | null, r: { rows: unknown[] }) =>
        err2 ? res.status(500).end() : res.json(r.rows),
      );
    });
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await pool.query(`DROP TABLE IF EXISTS ${TABLE}`);
  await pool.end();
});
beforeEach(() => agent.reset());

describe('pg under an Express request', () => {
  it('has the instrumentations it needs', () => {
    expect(hooks.instrumentations).toEqual(expect.arrayContaining(['http', 'express', 'pg']));
  });

  it("the query span is a child of the request's server span", async () => {
    const res = await fetch(`${base}/users/7`);
    expect(await res.json()).toEqual([{ name: 'user7' }]);
    const [srv] = await waitForServerSpans(agent, 1);
    const [db] = await waitForSpansOf(agent, 'pg', 1);
    expect(srv!.name).toBe('GET /users/:id');
    expect(db!.name).toBe(`SELECT ${TABLE}`);
    expect(db!.traceId).toBe(srv!.traceId);
    expect(db!.parentSpanId).toBe(srv!.spanId);
  });

  it('callback style: both nested queries are children of the server span', async () => {
    const res = await fetch(`${base}/cb/9`);
    expect(await res.json()).toEqual([{ name: 'user9' }]);
    const [srv] = await waitForServerSpans(agent, 1);
    const spans = await waitForSpansOf(agent, 'pg', 2);
    expect(spans.map((s) => s.parentSpanId)).toEqual([srv!.spanId, srv!.spanId]);
  });

  it('50 concurrent requests through a pool of 3: every query span has its own request as parent', async () => {
    const ids = Array.from({ length: 50 }, (_, i) => i + 1);
    const bodies = await Promise.all(ids.map((id) => fetch(`${base}/${id % 2 === 0 ? 'users' : 'cb'}/${id}`).then((r) => r.json())));
    expect(bodies).toEqual(ids.map((id) => [{ name: `user${id}` }]));
    const servers = await waitForServerSpans(agent, 50);
    // /users makes one query, /cb two; the pool opening connections adds pg.connect spans,
    // children of the request that needed the connection.
    const all = await waitForSpansOf(agent, 'pg', 75);
    const dbs = all.filter((s) => s.name !== 'pg.connect');
    expect(dbs).toHaveLength(75);
    for (const c of all.filter((s) => s.name === 'pg.connect')) expect(servers.map((s) => s.spanId)).toContain(c.parentSpanId);
    const byId = new Map(servers.map((s) => [s.spanId, s]));
    const children = new Map<string, SpanRecord[]>();
    for (const db of dbs) {
      const parent = byId.get(db.parentSpanId ?? '');
      expect(parent, `parent of ${db.name}`).toBeDefined();
      expect(db.traceId).toBe(parent!.traceId);
      children.set(parent!.spanId, [...(children.get(parent!.spanId) ?? []), db]);
    }
    for (const srv of servers) {
      const expected = srv.name === 'GET /users/:id' ? 1 : 2;
      expect(children.get(srv.spanId) ?? [], `children of ${String(srv.attributes['url.path'])}`).toHaveLength(expected);
    }
  });
});

describe('pg pool without a framework', () => {
  it('50 concurrent manual parents, promise, callback and connect/release forms: each query under its own parent', async () => {
    const N = 50;
    const parents = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        tracer.startActiveSpan(`job ${i}`, async (span) => {
          await pool.query('SELECT $1::int AS i', [i]);
          await new Promise<void>((resolve, reject) => pool.query('SELECT pg_sleep(0.002)', (err: Error | null) => (err ? reject(err) : resolve())));
          const client = await pool.connect();
          try {
            await client.query('SELECT $1::text AS s', [`job ${i}`]);
          } finally {
            client.release();
          }
          // A waiter's callback form of connect.
          await new Promise<void>((resolve, reject) =>
            pool.connect((err: Error | null, c: { query(t: string): Promise<unknown> }, release: () => void) => {
              if (err) return reject(err);
              c.query('SELECT 1').then(() => (release(), resolve()), reject);
            }),
          );
          span.end();
          return span.spanContext().spanId;
        }),
      ),
    );
    const dbs = (await waitForSpansOf(agent, 'pg', 4 * N)).filter((s) => s.name !== 'pg.connect');
    expect(dbs).toHaveLength(4 * N);
    const counts = new Map<string, number>();
    for (const db of dbs) counts.set(db.parentSpanId ?? 'none', (counts.get(db.parentSpanId ?? 'none') ?? 0) + 1);
    for (const id of parents) expect(counts.get(id)).toBe(4);
  });
});
