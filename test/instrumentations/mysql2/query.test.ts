import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { isWrapped } from '../../../src/instrument/wrap';
import { spansOf, waitForSpansOf } from '../../helpers/spans';
import { MYSQL_CONFIG, callback, setupMysql2 } from './helpers';

const { agent, mysql, mysqlPromise } = setupMysql2({ enabled: ['mysql2'] });
// Per process: other checkouts run the same tests against the same server.
const TABLE = `waymark_mysql2_query_${process.pid}`;
const tracer = trace.getTracer('test');

const conn = mysql.createConnection(MYSQL_CONFIG);
beforeAll(async () => {
  const c = conn.promise();
  await c.query(`DROP TABLE IF EXISTS ${TABLE}`);
  await c.query(`CREATE TABLE ${TABLE} (id int PRIMARY KEY, name varchar(20))`);
  await c.query(`INSERT INTO ${TABLE} VALUES (1, 'ada'), (2, 'bob'), (3, 'cy')`);
});
afterAll(async () => {
  await conn.promise().query(`DROP TABLE IF EXISTS ${TABLE}`);
  await conn.promise().end();
});
beforeEach(() => agent.reset());

const BASE = {
  'db.system.name': 'mysql',
  'db.namespace': 'test',
  'server.address': '127.0.0.1',
  'server.port': 3306,
};

describe('mysql2 connection', () => {
  it('is patched where the methods are defined', () => {
    expect(isWrapped(mysql.Connection.prototype.query)).toBe(true);
    expect(isWrapped(mysql.Connection.prototype.execute)).toBe(true);
    expect(mysql.Connection.prototype.query.name).toBe('query');
    expect(isWrapped(mysql.Pool.prototype.getConnection)).toBe(true);
  });

  it('query with a callback: one CLIENT span, sanitized text with the placeholders kept', async () => {
    const [err, rows, fields] = await callback((cb) => conn.query(`SELECT name FROM ${TABLE} WHERE id = ? AND name <> 'x' LIMIT 5`, [2], cb));
    expect(err).toBeNull();
    expect(rows).toEqual([{ name: 'bob' }]);
    expect(Array.isArray(fields)).toBe(true);
    const [span, ...rest] = spansOf(agent, 'mysql2');
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

  it('query(sql, cb) and query({ sql, values }, cb); the callback runs once, after the span ended', async () => {
    let calls = 0;
    await callback((cb) =>
      conn.query(`SELECT COUNT(*) AS n FROM ${TABLE} WHERE name IN ('ada', 'bob', "cy")`, (...args: unknown[]) => {
        calls++;
        expect(spansOf(agent, 'mysql2')).toHaveLength(1);
        cb(...args);
      }),
    );
    const [, rows] = await callback((cb) => conn.query({ sql: `UPDATE ${TABLE} SET name = ? WHERE id = ?`, values: ['ada', 1] }, cb));
    expect((rows as { affectedRows: number }).affectedRows).toBe(1);
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toBe(1);
    const spans = spansOf(agent, 'mysql2');
    expect(spans.map((s) => s.name)).toEqual([`SELECT ${TABLE}`, `UPDATE ${TABLE}`]);
    expect(spans[0]!.attributes['db.query.text']).toBe(`SELECT COUNT(*) AS n FROM ${TABLE} WHERE name IN (?)`);
    expect(spans[1]!.attributes['db.query.text']).toBe(`UPDATE ${TABLE} SET name = ? WHERE id = ?`);
  });

  it('execute (server-side prepared statement), twice', async () => {
    for (const id of [3, 1]) {
      const [err, rows] = await callback((cb) => conn.execute(`SELECT name FROM ${TABLE} WHERE id = ?`, [id], cb));
      expect(err).toBeNull();
      expect(rows).toEqual([{ name: id === 3 ? 'cy' : 'ada' }]);
    }
    const spans = spansOf(agent, 'mysql2');
    expect(spans.map((s) => s.name)).toEqual([`SELECT ${TABLE}`, `SELECT ${TABLE}`]);
    expect(spans[0]!.attributes['db.query.text']).toBe(`SELECT name FROM ${TABLE} WHERE id = ?`);
  });

  it('streaming form: the command is returned as is, its events still arrive, the span ends with it', async () => {
    const rows: unknown[] = [];
    const cmd = conn.query(`SELECT id FROM ${TABLE} ORDER BY id`);
    expect(typeof cmd.on).toBe('function');
    await new Promise<void>((resolve, reject) => {
      cmd.on('result', (row: unknown) => rows.push(row));
      cmd.on('error', reject);
      cmd.on('end', resolve);
    });
    expect(rows).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    const [span] = await waitForSpansOf(agent, 'mysql2', 1);
    expect(span!.name).toBe(`SELECT ${TABLE}`);
    expect(span!.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('streaming form that fails: the error listener gets the error, the span records it', async () => {
    const cmd = conn.query(`SELECT nope FROM ${TABLE}`);
    const err = await new Promise<{ code: string }>((resolve) => cmd.on('error', resolve));
    expect(err.code).toBe('ER_BAD_FIELD_ERROR');
    const [span] = await waitForSpansOf(agent, 'mysql2', 1);
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.attributes['error.type']).toBe('ER_BAD_FIELD_ERROR');
    expect(span!.attributes['db.response.status_code']).toBe('1054');
  });

  it('syntax error: the callback gets the driver error; span ERROR with its code and error number', async () => {
    const [err] = await callback((cb) => conn.query('SELEC 1', cb));
    expect((err as { code: string }).code).toBe('ER_PARSE_ERROR');
    const [span] = spansOf(agent, 'mysql2');
    expect(span!.name).toBe('mysql');
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.attributes['error.type']).toBe('ER_PARSE_ERROR');
    expect(span!.attributes['db.response.status_code']).toBe('1064');
    expect(span!.events.map((e) => e.name)).toEqual(['exception']);
  });

  it('a synchronous throw from the driver is rethrown and recorded', () => {
    expect(() => conn.execute('SELECT ?', [undefined], () => {})).toThrow(TypeError);
    const [span] = spansOf(agent, 'mysql2');
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.attributes['error.type']).toBe('TypeError');
  });

  it('connection refused (port 1): the query callback gets ECONNREFUSED, recorded on the span', async () => {
    const dead = mysql.createConnection({ ...MYSQL_CONFIG, port: 1 });
    const connErrors: unknown[] = [];
    dead.on('error', (e: unknown) => connErrors.push(e));
    const [err] = await callback((cb) => dead.query('SELECT 1', cb));
    expect((err as { code: string }).code).toBe('ECONNREFUSED');
    const [span] = spansOf(agent, 'mysql2');
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.attributes['error.type']).toBe('ECONNREFUSED');
    expect(span!.attributes['server.port']).toBe(1);
    expect(span!.attributes['db.response.status_code']).toBeUndefined();
  });
});

describe('mysql2/promise', () => {
  it('query and execute: one span each (the promise wrapper calls the patched core connection)', async () => {
    const c = await mysqlPromise.createConnection(MYSQL_CONFIG);
    const [rows] = await c.query(`SELECT name FROM ${TABLE} WHERE id = ?`, [1]);
    expect(rows).toEqual([{ name: 'ada' }]);
    const [rows2] = await c.execute(`SELECT name FROM ${TABLE} WHERE id = ?`, [2]);
    expect(rows2).toEqual([{ name: 'bob' }]);
    const err = await c.query('SELEC 1').catch((e: unknown) => e);
    expect((err as { code: string }).code).toBe('ER_PARSE_ERROR');
    await c.end();
    const spans = spansOf(agent, 'mysql2');
    expect(spans.map((s) => s.name)).toEqual([`SELECT ${TABLE}`, `SELECT ${TABLE}`, 'mysql']);
    expect(spans[2]!.attributes['error.type']).toBe('ER_PARSE_ERROR');
  });
});

describe('mysql2 pools and clusters', () => {
  it('pool.query, pool.execute, getConnection: one span per query', async () => {
    const pool = mysql.createPool({ ...MYSQL_CONFIG, connectionLimit: 2 });
    const [e1, r1] = await callback((cb) => pool.query(`SELECT name FROM ${TABLE} WHERE id = ?`, [3], cb));
    expect(e1).toBeNull();
    expect(r1).toEqual([{ name: 'cy' }]);
    const [e2, r2] = await callback((cb) => pool.execute(`SELECT name FROM ${TABLE} WHERE id = ?`, [1], cb));
    expect(e2).toBeNull();
    expect(r2).toEqual([{ name: 'ada' }]);
    const [e3, c] = await callback((cb) => pool.getConnection(cb));
    expect(e3).toBeNull();
    const [, r3] = await callback((cb) => (c as { query: (s: string, cb: unknown) => void }).query('SELECT 7 AS n', cb));
    expect(r3).toEqual([{ n: 7 }]);
    (c as { release(): void }).release();
    const rows: unknown[] = [];
    await new Promise<void>((resolve, reject) => {
      const q = pool.query('SELECT 1 AS one');
      q.on('result', (row: unknown) => rows.push(row)).on('error', reject).on('end', resolve);
    });
    expect(rows).toEqual([{ one: 1 }]);
    await pool.promise().end();
    const spans = await waitForSpansOf(agent, 'mysql2', 4);
    expect(spans.map((s) => s.name)).toEqual([`SELECT ${TABLE}`, `SELECT ${TABLE}`, 'SELECT', 'SELECT']);
  });

  it('promise pool: query, execute, getConnection', async () => {
    const pool = mysqlPromise.createPool({ ...MYSQL_CONFIG, connectionLimit: 2 });
    expect((await pool.query('SELECT 1 AS a'))[0]).toEqual([{ a: 1 }]);
    expect((await pool.execute('SELECT ? AS b', [2]))[0]).toEqual([{ b: 2 }]);
    const c = await pool.getConnection();
    expect((await c.query('SELECT 3 AS c'))[0]).toEqual([{ c: 3 }]);
    c.release();
    await pool.end();
    expect(spansOf(agent, 'mysql2').map((s) => s.attributes['db.query.text'])).toEqual(['SELECT ? AS a', 'SELECT ? AS b', 'SELECT ? AS c']);
  });

  it('pool cluster: of(...).query/execute and getConnection, callback and promise', async () => {
    const cluster = mysql.createPoolCluster();
    cluster.add('A', { ...MYSQL_CONFIG, connectionLimit: 1 });
    cluster.add('B', { ...MYSQL_CONFIG, connectionLimit: 1 });
    const [e1, r1] = await callback((cb) => cluster.of('*').query(`SELECT name FROM ${TABLE} WHERE id = ?`, [1], cb));
    expect(e1).toBeNull();
    expect(r1).toEqual([{ name: 'ada' }]);
    const [e2] = await callback((cb) => cluster.of('B').execute('SELECT ? AS x', [1], cb));
    expect(e2).toBeNull();
    const [e3, c] = await callback((cb) => cluster.getConnection('A', cb));
    expect(e3).toBeNull();
    await callback((cb) => (c as { query: (s: string, cb: unknown) => void }).query('SELECT 2', cb));
    (c as { release(): void }).release();
    await new Promise((r) => cluster.end(r));

    const pcluster = mysqlPromise.createPoolCluster();
    pcluster.add('A', { ...MYSQL_CONFIG, connectionLimit: 1 });
    expect((await pcluster.of('A').query('SELECT 5 AS five'))[0]).toEqual([{ five: 5 }]);
    await pcluster.end();

    const spans = spansOf(agent, 'mysql2');
    expect(spans.map((s) => s.name)).toEqual([`SELECT ${TABLE}`, 'SELECT', 'SELECT', 'SELECT']);
    for (const s of spans) expect(s.attributes['db.system.name']).toBe('mysql');
  });

  it('a pool query is a child of the active span', async () => {
    const pool = mysqlPromise.createPool({ ...MYSQL_CONFIG, connectionLimit: 1 });
    const parentId = await tracer.startActiveSpan('parent', async (span) => {
      await pool.query('SELECT 1');
      span.end();
      return span.spanContext().spanId;
    });
    await pool.end();
    expect(spansOf(agent, 'mysql2')[0]!.parentSpanId).toBe(parentId);
  });
});
