import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { trace } from '@opentelemetry/api';
import { waitForServerSpans, waitForSpansOf } from '../../helpers/spans';
import { nodeRequire } from '../../helpers/tracing';
import { MYSQL_CONFIG, setupMysql2 } from './helpers';

// Real Express 5 over the agent's http and express instrumentations.
const { agent, hooks, mysql, mysqlPromise } = setupMysql2({ enabled: ['http', 'express', 'mysql2'] });
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const express = nodeRequire('express') as any;
const tracer = trace.getTracer('test');
// Per process: other checkouts run the same tests against the same server.
const TABLE = `waymark_mysql2_context_${process.pid}`;

// Small pools shared by every request, so queries wait for connections other requests release.
const promisePool = mysqlPromise.createPool({ ...MYSQL_CONFIG, connectionLimit: 3 });
const callbackPool = mysql.createPool({ ...MYSQL_CONFIG, connectionLimit: 3 });
let server: Server;
let base: string;

beforeAll(async () => {
  await promisePool.query(`DROP TABLE IF EXISTS ${TABLE}`);
  await promisePool.query(`CREATE TABLE ${TABLE} (id int PRIMARY KEY, name varchar(20))`);
  await promisePool.query(`INSERT INTO ${TABLE} (id, name) VALUES ${Array.from({ length: 60 }, (_, i) => `(${i + 1}, 'user${i + 1}')`).join(', ')}`);

  const app = express();
  app.get('/users/:id', async (req: { params: { id: string } }, res: { json(v: unknown): void }) => {
    await promisePool.query('SELECT SLEEP(0.002)');
    const [rows] = await promisePool.execute(`SELECT name FROM ${TABLE} WHERE id = ?`, [Number(req.params.id)]);
    res.json(rows);
  });
  // Callback style, nested: the second query starts inside the first one's callback.
  app.get('/cb/:id', (req: { params: { id: string } }, res: { json(v: unknown): void; status(n: number): { end(): void } }) => {
    callbackPool.query('SELECT SLEEP(0.002)', (err: Error | null) => {
      if (err) return res.status(500).end();
      callbackPool.execute(`SELECT name FROM ${TABLE} WHERE id = ?`, [Number(req.params.id)], (err2: Error | null, rows: unknown) =>
        err2 ? res.status(500).end() : res.json(rows),
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
  await promisePool.query(`DROP TABLE IF EXISTS ${TABLE}`);
  await promisePool.end();
  await new Promise((r) => callbackPool.end(r));
});
beforeEach(() => agent.reset());

describe('mysql2 under an Express request', () => {
  it('has the instrumentations it needs', () => {
    expect(hooks.instrumentations).toEqual(expect.arrayContaining(['http', 'express', 'mysql2']));
  });

  it("promise pool: the query spans are children of the request's server span", async () => {
    const res = await fetch(`${base}/users/7`);
    expect(await res.json()).toEqual([{ name: 'user7' }]);
    const [srv] = await waitForServerSpans(agent, 1);
    const dbs = await waitForSpansOf(agent, 'mysql2', 2);
    expect(srv!.name).toBe('GET /users/:id');
    expect(dbs.map((s) => s.name)).toEqual(['SELECT', `SELECT ${TABLE}`]);
    for (const db of dbs) {
      expect(db.traceId).toBe(srv!.traceId);
      expect(db.parentSpanId).toBe(srv!.spanId);
    }
  });

  it('50 concurrent requests through pools of 3: every query span has its own request as parent', async () => {
    const ids = Array.from({ length: 50 }, (_, i) => i + 1);
    const bodies = await Promise.all(ids.map((id) => fetch(`${base}/${id % 2 === 0 ? 'users' : 'cb'}/${id}`).then((r) => r.json())));
    expect(bodies).toEqual(ids.map((id) => [{ name: `user${id}` }]));
    const servers = await waitForServerSpans(agent, 50);
    const dbs = await waitForSpansOf(agent, 'mysql2', 100);
    expect(dbs).toHaveLength(100);
    const children = new Map<string, number>();
    for (const db of dbs) children.set(db.parentSpanId ?? 'none', (children.get(db.parentSpanId ?? 'none') ?? 0) + 1);
    for (const srv of servers) {
      expect(children.get(srv.spanId), `children of ${String(srv.attributes['url.path'])}`).toBe(2);
      expect(dbs.filter((d) => d.parentSpanId === srv.spanId).every((d) => d.traceId === srv.traceId)).toBe(true);
    }
  });
});

describe('mysql2 pools without a framework', () => {
  it('50 concurrent manual parents through a callback pool, a promise pool and a cluster', async () => {
    const cluster = mysql.createPoolCluster();
    cluster.add('A', { ...MYSQL_CONFIG, connectionLimit: 2 });
    const N = 50;
    const parents = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        tracer.startActiveSpan(`job ${i}`, async (span) => {
          await new Promise<void>((resolve, reject) => callbackPool.query('SELECT ? AS i', [i], (err: Error | null) => (err ? reject(err) : resolve())));
          const c = await promisePool.getConnection();
          try {
            await c.query('SELECT SLEEP(0.001)');
          } finally {
            c.release();
          }
          await new Promise<void>((resolve, reject) => cluster.of('*').query('SELECT ? AS j', [i], (err: Error | null) => (err ? reject(err) : resolve())));
          span.end();
          return span.spanContext().spanId;
        }),
      ),
    );
    await new Promise((r) => cluster.end(r));
    const dbs = await waitForSpansOf(agent, 'mysql2', 3 * N);
    expect(dbs).toHaveLength(3 * N);
    const counts = new Map<string, number>();
    for (const db of dbs) counts.set(db.parentSpanId ?? 'none', (counts.get(db.parentSpanId ?? 'none') ?? 0) + 1);
    for (const id of parents) expect(counts.get(id)).toBe(3);
  });
});
