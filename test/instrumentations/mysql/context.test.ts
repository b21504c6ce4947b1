import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { trace } from '@opentelemetry/api';
import { waitForServerSpans, waitForSpansOf } from '../../helpers/spans';
import { nodeRequire } from '../../helpers/tracing';
import { MYSQL_CONFIG, query, setupMysql } from './helpers';

// Real http server over the agent's http instrumentation; one small pool shared by every
// request, so most queries run on a connection another request opened, and wait for
// connections other requests release.
const { agent, hooks, mysql } = setupMysql({ enabled: ['http', 'mysql'] });
const http = nodeRequire('node:http') as typeof import('node:http');
const TABLE = `waymark_mysql_context_${process.pid}`;
const pool = mysql.createPool({ ...MYSQL_CONFIG, connectionLimit: 2 });
let server: Server;
let base: string;

/** The active span's id where it is called (what the app's code after a query sees). */
const activeId = () => trace.getActiveSpan()?.spanContext().spanId;

// /cb/:id: a callback query, then a streaming one started inside its callback; answers with
// the span ids the app saw as active in the callback and in the stream's 'result' and 'end'.
function handle(req: IncomingMessage, res: ServerResponse): void {
  const id = Number(req.url!.split('/')[2]);
  const seen: Record<string, string | undefined> = { handler: activeId() };
  pool.query(`SELECT name FROM ${TABLE} WHERE id = ?`, [id], (err: Error | null, rows: Array<{ name: string }>) => {
    seen.callback = activeId();
    if (err) return void res.writeHead(500).end(err.message);
    const names: string[] = [rows[0]!.name];
    pool
      .query('SELECT ? AS again, SLEEP(0.002) AS s', [id])
      .on('result', (row: { again: number }) => {
        seen.result = activeId();
        names.push(String(row.again));
      })
      .on('error', (e: Error) => res.writeHead(500).end(e.message))
      .on('end', () => {
        seen.end = activeId();
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ names, seen }));
      });
  });
}

beforeAll(async () => {
  await query(pool, `DROP TABLE IF EXISTS ${TABLE}`);
  await query(pool, `CREATE TABLE ${TABLE} (id int PRIMARY KEY, name varchar(20))`);
  await query(pool, `INSERT INTO ${TABLE} (id, name) VALUES ${Array.from({ length: 40 }, (_, i) => `(${i + 1}, 'user${i + 1}')`).join(', ')}`);
  server = http.createServer(handle).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await query(pool, `DROP TABLE IF EXISTS ${TABLE}`);
  await new Promise((r) => pool.end(r));
});
beforeEach(() => agent.reset());

describe('mysql pools under concurrent http requests', () => {
  it('has the instrumentations it needs', () => {
    expect(hooks.instrumentations).toEqual(expect.arrayContaining(['http', 'mysql']));
  });

  it('40 concurrent requests through a pool of 2: spans, callbacks and stream events all belong to their own request', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => i + 1);
    const bodies = (await Promise.all(ids.map((id) => fetch(`${base}/cb/${id}`).then((r) => r.json())))) as Array<{
      names: string[];
      seen: Record<string, string>;
    }>;
    expect(bodies.map((b) => b.names)).toEqual(ids.map((id) => [`user${id}`, String(id)]));
    const servers = await waitForServerSpans(agent, 40);
    const dbs = await waitForSpansOf(agent, 'mysql', 80);
    expect(dbs).toHaveLength(80);
    const serverIds = new Set(servers.map((s) => s.spanId));
    for (const { seen } of bodies) {
      // The server span is what the handler sees; every later callback and event sees it too.
      expect(serverIds.has(seen.handler!)).toBe(true);
      expect(seen).toEqual({ handler: seen.handler, callback: seen.handler, result: seen.handler, end: seen.handler });
    }
    for (const srv of servers) {
      const children = dbs.filter((d) => d.parentSpanId === srv.spanId);
      expect(children.map((d) => d.attributes['db.query.text']).sort(), String(srv.attributes['url.path'])).toEqual([
        'SELECT ? AS again, SLEEP(?) AS s',
        `SELECT name FROM ${TABLE} WHERE id = ?`,
      ]);
      expect(children.every((d) => d.traceId === srv.traceId)).toBe(true);
    }
  });
});

describe('mysql pools without a framework', () => {
  it('30 concurrent manual parents through a pool and a cluster: 2 children each', async () => {
    const cluster = mysql.createPoolCluster();
    cluster.add('A', { ...MYSQL_CONFIG, connectionLimit: 1 });
    const tracer = trace.getTracer('test');
    const parents = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        tracer.startActiveSpan(`job ${i}`, async (span) => {
          await query(pool, 'SELECT ? AS i', [i]);
          await query(cluster.of('*'), 'SELECT ? AS j', [i]);
          span.end();
          return span.spanContext().spanId;
        }),
      ),
    );
    await new Promise((r) => cluster.end(r));
    const dbs = await waitForSpansOf(agent, 'mysql', 60);
    const counts = new Map<string, number>();
    for (const db of dbs) counts.set(db.parentSpanId ?? 'none', (counts.get(db.parentSpanId ?? 'none') ?? 0) + 1);
    for (const id of parents) expect(counts.get(id)).toBe(2);
  });
});
