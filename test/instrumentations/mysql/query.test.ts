import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { isWrapped } from '../../../src/instrument/wrap';
import { spansOf, waitForSpansOf } from '../../helpers/spans';
import { MYSQL_CONFIG, callback, mysqlClasses, query, setupMysql } from './helpers';

const { agent, mysql } = setupMysql({ enabled: ['mysql'] });
// Per process: other checkouts run the same tests against the same server.
const TABLE = `waymark_mysql_query_${process.pid}`;
const tracer = trace.getTracer('test');

const conn = mysql.createConnection(MYSQL_CONFIG);
beforeAll(async () => {
  await query(conn, `DROP TABLE IF EXISTS ${TABLE}`);
  await query(conn, `CREATE TABLE ${TABLE} (id int PRIMARY KEY, name varchar(20))`);
  await query(conn, `INSERT INTO ${TABLE} VALUES (1, 'ada'), (2, 'bob'), (3, 'cy')`);
});
afterAll(async () => {
  await query(conn, `DROP TABLE IF EXISTS ${TABLE}`);
  await new Promise((r) => conn.end(r));
});
beforeEach(() => agent.reset());

const BASE = {
  'db.system.name': 'mysql',
  'db.namespace': 'test',
  'server.address': '127.0.0.1',
  'server.port': 3306,
};

describe('mysql connection', () => {
  it('is patched where the methods are defined', () => {
    const { Connection, Pool } = mysqlClasses();
    expect(isWrapped(Connection.prototype.query)).toBe(true);
    expect(Connection.prototype.query.name).toBe('query');
    expect(isWrapped(Pool.prototype.getConnection)).toBe(true);
  });

  it('query with a callback: one CLIENT span, sanitized text with the placeholders kept', async () => {
    const [err, rows, fields] = await callback((cb) => conn.query(`SELECT name FROM ${TABLE} WHERE id = ? AND name <> 'x' LIMIT 5`, [2], cb));
    expect(err).toBeNull();
    expect(rows).toEqual([{ name: 'bob' }]);
    expect(Array.isArray(fields)).toBe(true);
    const [span, ...rest] = spansOf(agent, 'mysql');
    expect(rest).toHaveLength(0);
    expect(span!.name).toBe(`SELECT ${TABLE}`);
    expect(span!.kind).toBe(SpanKind.CLIENT);
    expect(span!.status.code).toBe(SpanStatusCode.UNSET);
    expect(span!.attributes).toEqual({
      ...BASE,
      'db.operation.name': 'SELECT',
      'db.collection.name': TABLE,
      'db.query.text': `SELECT name FROM ${TABLE} WHERE id = ? AND name <> ? LIMIT ?`,
    });
  });

  it('query(sql, cb) and query({ sql, values }, cb); the callback runs once, after the span ended, with the query as this', async () => {
    let calls = 0;
    let self: unknown;
    const returned = await new Promise<unknown>((resolve) => {
      const q = conn.query(`SELECT COUNT(*) AS n FROM ${TABLE} WHERE name IN ('ada', 'bob', "cy")`, function (this: unknown) {
        calls++;
        self = this;
        expect(spansOf(agent, 'mysql')).toHaveLength(1);
        setImmediate(() => resolve(q));
      });
    });
    expect(self).toBe(returned);
    const [, rows] = await callback((cb) => conn.query({ sql: `UPDATE ${TABLE} SET name = ? WHERE id = ?`, values: ['ada', 1] }, cb));
    expect((rows as { affectedRows: number }).affectedRows).toBe(1);
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toBe(1);
    const spans = spansOf(agent, 'mysql');
    expect(spans.map((s) => s.name)).toEqual([`SELECT ${TABLE}`, `UPDATE ${TABLE}`]);
    expect(spans[0]!.attributes['db.query.text']).toBe(`SELECT COUNT(*) AS n FROM ${TABLE} WHERE name IN (?)`);
    expect(spans[1]!.attributes['db.query.text']).toBe(`UPDATE ${TABLE} SET name = ? WHERE id = ?`);
  });

  it('the callback runs in the caller context, the query with its span active', async () => {
    const seen = await tracer.startActiveSpan('caller', (parent) =>
      callback((cb) => conn.query('SELECT 1', () => cb(trace.getActiveSpan()?.spanContext().spanId))).then(([id]) => {
        parent.end();
        return { id, parent: parent.spanContext().spanId };
      }),
    );
    expect(seen.id).toBe(seen.parent);
    const [span] = spansOf(agent, 'mysql');
    expect(span!.parentSpanId).toBe(seen.parent);
  });

  it("streaming form: the Query is returned as is, its 'result' events still arrive, the span ends with it", async () => {
    const rows: unknown[] = [];
    const q = conn.query(`SELECT id FROM ${TABLE} ORDER BY id`);
    expect(typeof q.on).toBe('function');
    await new Promise<void>((resolve, reject) => {
      q.on('result', (row: unknown) => rows.push(row));
      q.on('error', reject);
      q.on('end', resolve);
    });
    expect(rows).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    const [span] = await waitForSpansOf(agent, 'mysql', 1);
    expect(span!.name).toBe(`SELECT ${TABLE}`);
    expect(span!.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('streaming through query.stream(): rows arrive as a readable stream', async () => {
    const rows: unknown[] = [];
    await new Promise<void>((resolve, reject) => {
      conn
        .query(`SELECT id FROM ${TABLE} ORDER BY id`)
        .stream({ highWaterMark: 1 })
        .on('data', (row: unknown) => rows.push(row))
        .on('error', reject)
        .on('end', resolve);
    });
    expect(rows).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    expect((await waitForSpansOf(agent, 'mysql', 1)).map((s) => s.name)).toEqual([`SELECT ${TABLE}`]);
  });

  it('streaming form that fails: the error listener gets the error, the span records it', async () => {
    const q = conn.query(`SELECT nope FROM ${TABLE}`);
    const err = await new Promise<{ code: string }>((resolve) => q.on('error', resolve));
    expect(err.code).toBe('ER_BAD_FIELD_ERROR');
    const [span] = await waitForSpansOf(agent, 'mysql', 1);
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.attributes['error.type']).toBe('ER_BAD_FIELD_ERROR');
    expect(span!.attributes['db.response.status_code']).toBe('1054');
  });

  it('syntax error: the callback gets the driver error; span ERROR with its code and error number', async () => {
    const [err] = await callback((cb) => conn.query('SELEC 1', cb));
    expect((err as { code: string }).code).toBe('ER_PARSE_ERROR');
    const [span] = spansOf(agent, 'mysql');
    expect(span!.name).toBe('mysql');
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.attributes['error.type']).toBe('ER_PARSE_ERROR');
    expect(span!.attributes['db.response.status_code']).toBe('1064');
    expect(span!.events.map((e) => e.name)).toEqual(['exception']);
  });

  it('a synchronous throw from the driver is rethrown (same error) and recorded', () => {
    let thrown: unknown;
    try {
      conn.query('SELECT 1', [], 'not a function');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(TypeError);
    const [span] = spansOf(agent, 'mysql');
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.attributes['error.type']).toBe('TypeError');
  });

  it('connection refused (port 1): the query callback gets ECONNREFUSED, recorded on the span', async () => {
    const dead = mysql.createConnection({ ...MYSQL_CONFIG, port: 1 });
    const connErrors: unknown[] = [];
    dead.on('error', (e: unknown) => connErrors.push(e));
    const [err] = await callback((cb) => dead.query('SELECT 1', cb));
    expect((err as { code: string }).code).toBe('ECONNREFUSED');
    const [span] = spansOf(agent, 'mysql');
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.attributes['error.type']).toBe('ECONNREFUSED');
    expect(span!.attributes['server.port']).toBe(1);
    expect(span!.attributes['db.response.status_code']).toBeUndefined();
  });
});

describe('mysql pools and clusters', () => {
  it('pool.query (callback and streaming) and getConnection: one span per query', async () => {
    const pool = mysql.createPool({ ...MYSQL_CONFIG, connectionLimit: 2 });
    const [e1, r1] = await callback((cb) => pool.query(`SELECT name FROM ${TABLE} WHERE id = ?`, [3], cb));
    expect(e1).toBeNull();
    expect(r1).toEqual([{ name: 'cy' }]);
    const [e2, c] = await callback((cb) => pool.getConnection(cb));
    expect(e2).toBeNull();
    expect(await query(c, 'SELECT 7 AS n')).toEqual([{ n: 7 }]);
    (c as { release(): void }).release();
    const rows: unknown[] = [];
    await new Promise<void>((resolve, reject) => {
      const q = pool.query('SELECT 1 AS one');
      q.on('result', (row: unknown) => rows.push(row)).on('error', reject).on('end', resolve);
    });
    expect(rows).toEqual([{ one: 1 }]);
    const [e3] = await callback((cb) => pool.query('SELEC 2', cb));
    expect((e3 as { code: string }).code).toBe('ER_PARSE_ERROR');
    await new Promise((r) => pool.end(r));
    const spans = await waitForSpansOf(agent, 'mysql', 4);
    expect(spans.map((s) => s.name)).toEqual([`SELECT ${TABLE}`, 'SELECT', 'SELECT', 'mysql']);
    expect(spans.map((s) => s.attributes['db.query.text'])).toEqual([`SELECT name FROM ${TABLE} WHERE id = ?`, 'SELECT ? AS n', 'SELECT ? AS one', 'SELEC ?']);
    expect(spans[3]!.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('pool cluster: of(...).query and getConnection', async () => {
    const cluster = mysql.createPoolCluster();
    cluster.add('A', { ...MYSQL_CONFIG, connectionLimit: 1 });
    cluster.add('B', { ...MYSQL_CONFIG, connectionLimit: 1 });
    expect(await query(cluster.of('*'), `SELECT name FROM ${TABLE} WHERE id = ?`, [1])).toEqual([{ name: 'ada' }]);
    expect(await query(cluster.of('B'), 'SELECT ? AS x', [1])).toEqual([{ x: 1 }]);
    const [e3, c] = await callback((cb) => cluster.getConnection('A', cb));
    expect(e3).toBeNull();
    await query(c, 'SELECT 2');
    (c as { release(): void }).release();
    await new Promise((r) => cluster.end(r));
    const spans = spansOf(agent, 'mysql');
    expect(spans.map((s) => s.name)).toEqual([`SELECT ${TABLE}`, 'SELECT', 'SELECT']);
    for (const s of spans) expect(s.attributes['db.system.name']).toBe('mysql');
  });

  it('a pool query is a child of the active span', async () => {
    const pool = mysql.createPool({ ...MYSQL_CONFIG, connectionLimit: 1 });
    const parentId = await tracer.startActiveSpan('parent', async (span) => {
      await query(pool, 'SELECT 1');
      span.end();
      return span.spanContext().spanId;
    });
    await new Promise((r) => pool.end(r));
    expect(spansOf(agent, 'mysql')[0]!.parentSpanId).toBe(parentId);
  });
});
