import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { context, trace, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { isWrapped } from '../../../src/instrument/wrap';
import { spansOf, waitForSpansOf } from '../../helpers/spans';
import { PG_CONFIG, setupPg } from './helpers';

const { agent, pg } = setupPg({ enabled: ['pg'] });
// Per process: other checkouts run the same tests against the same server.
const TABLE = `waymark_pg_query_${process.pid}`;
const tracer = trace.getTracer('test');

const client = new pg.Client(PG_CONFIG);
beforeAll(async () => {
  await client.connect();
  await client.query(`DROP TABLE IF EXISTS ${TABLE}`);
  await client.query(`CREATE TABLE ${TABLE} (id int PRIMARY KEY, name text)`);
  await client.query(`INSERT INTO ${TABLE} VALUES (1, 'ada'), (2, 'bob'), (3, 'cy')`);
});
afterAll(async () => {
  await client.query(`DROP TABLE IF EXISTS ${TABLE}`);
  await client.end();
});
beforeEach(() => agent.reset());

const BASE = {
  'db.system.name': 'postgresql',
  'db.namespace': 'test',
  'server.address': '127.0.0.1',
  'server.port': 5432,
};

describe('pg Client#query', () => {
  it('is patched', () => {
    expect(isWrapped(pg.Client.prototype.query)).toBe(true);
    expect(pg.Client.prototype.query.name).toBe('query');
    expect(pg.Client.prototype.query.length).toBe(3);
  });

  it('promise form: one CLIENT span named from operation and table, sanitized text', async () => {
    const res = await client.query(`SELECT name FROM ${TABLE} WHERE id = 2 AND name <> 'x'`);
    expect(res.rows).toEqual([{ name: 'bob' }]);
    const [span, ...rest] = spansOf(agent, 'pg');
    expect(rest).toHaveLength(0);
    expect(span!.name).toBe(`SELECT ${TABLE}`);
    expect(span!.kind).toBe(SpanKind.CLIENT);
    expect(span!.status.code).toBe(SpanStatusCode.UNSET);
    expect(span!.attributes).toEqual({
      ...BASE,
      'db.operation.name': 'SELECT',
      'db.collection.name': TABLE,
      'db.query.text': `SELECT name FROM ${TABLE} WHERE id = ? AND name <> ?`,
    });
  });

  it('callback form: the callback is called once, with the driver result, after the span ended', async () => {
    const calls: unknown[][] = [];
    await new Promise<void>((resolve) => {
      const ret = client.query(`SELECT id FROM ${TABLE} WHERE id IN (1, 2, 3) ORDER BY id`, (...args: unknown[]) => {
        calls.push(args);
        // The span ends before the application's callback runs.
        expect(spansOf(agent, 'pg')).toHaveLength(1);
        resolve();
      });
      expect(ret).toBeUndefined();
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toHaveLength(1);
    expect(calls[0]![0]).toBeNull();
    expect((calls[0]![1] as { rows: unknown[] }).rows).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    const [span] = spansOf(agent, 'pg');
    expect(span!.attributes['db.query.text']).toBe(`SELECT id FROM ${TABLE} WHERE id IN (?) ORDER BY id`);
  });

  it('callback as second argument, with values', async () => {
    await new Promise<void>((resolve, reject) =>
      client.query({ text: `SELECT $1::int + 1 AS n` }, [41], (err: Error | null, res: { rows: unknown[] }) => {
        if (err) return reject(err);
        expect(res.rows).toEqual([{ n: 42 }]);
        resolve();
      }),
    );
    await new Promise<void>((resolve, reject) =>
      client.query(`SELECT 1 AS one`, (err: Error | null, res: { rows: unknown[] }) => (err ? reject(err) : (expect(res.rows).toEqual([{ one: 1 }]), resolve()))),
    );
    const spans = spansOf(agent, 'pg');
    expect(spans.map((s) => s.name)).toEqual(['SELECT', 'SELECT']);
    expect(spans[0]!.attributes['db.query.text']).toBe('SELECT $1::int + ? AS n');
  });

  it('config object with its own callback: the object is not modified', async () => {
    const cb = (err: Error | null) => (err ? rejectFn(err) : resolveFn());
    let resolveFn!: () => void;
    let rejectFn!: (e: Error) => void;
    const done = new Promise<void>((res, rej) => ((resolveFn = res), (rejectFn = rej)));
    const config = { text: `UPDATE ${TABLE} SET name = name WHERE id = 1`, callback: cb };
    expect(client.query(config)).toBeUndefined();
    await done;
    expect(config.callback).toBe(cb);
    expect(Object.keys(config)).toEqual(['text', 'callback']);
    // Explicit undefined values and callback arguments: still the object's callback.
    const again = new Promise<void>((res, rej) => ((resolveFn = res), (rejectFn = rej)));
    expect(client.query(config, undefined, undefined)).toBeUndefined();
    await again;
    const spans = spansOf(agent, 'pg');
    expect(spans.map((s) => s.name)).toEqual([`UPDATE ${TABLE}`, `UPDATE ${TABLE}`]);
    expect(spans[0]!.attributes['db.operation.name']).toBe('UPDATE');
  });

  it('prepared statements: named config objects, run twice', async () => {
    const q = { name: 'waymark-by-id', text: `SELECT name FROM ${TABLE} WHERE id = $1`, values: [3] };
    expect((await client.query(q)).rows).toEqual([{ name: 'cy' }]);
    expect((await client.query({ ...q, values: [1] })).rows).toEqual([{ name: 'ada' }]);
    const spans = spansOf(agent, 'pg');
    expect(spans).toHaveLength(2);
    for (const s of spans) {
      expect(s.name).toBe(`SELECT ${TABLE}`);
      expect(s.attributes['db.query.text']).toBe(`SELECT name FROM ${TABLE} WHERE id = $1`);
    }
    expect(JSON.stringify(spans.map((s) => s.attributes))).not.toContain('ada');
  });

  it('submittable form: new Query(...) with events, returned as is', async () => {
    const query = new pg.Query(`SELECT id FROM ${TABLE} WHERE name = 'ada'`);
    const rows: unknown[] = [];
    query.on('row', (row: unknown) => rows.push(row));
    const ended = new Promise((resolve, reject) => {
      query.on('end', resolve);
      query.on('error', reject);
    });
    expect(client.query(query)).toBe(query);
    await ended;
    expect(rows).toEqual([{ id: 1 }]);
    const [span, ...rest] = await waitForSpansOf(agent, 'pg', 1);
    expect(rest).toHaveLength(0);
    expect(span!.name).toBe(`SELECT ${TABLE}`);
    expect(span!.attributes['db.query.text']).toBe(`SELECT id FROM ${TABLE} WHERE name = ?`);
    expect(Object.keys(query)).not.toContain('handleReadyForQuery');
  });

  it('submittable form with a callback argument', async () => {
    const query = new pg.Query(`SELECT count(*)::int AS n FROM ${TABLE}`);
    const res = await new Promise<{ rows: unknown[] }>((resolve, reject) => client.query(query, (err: Error | null, r: { rows: unknown[] }) => (err ? reject(err) : resolve(r))));
    expect(res.rows).toEqual([{ n: 3 }]);
    expect(spansOf(agent, 'pg').map((s) => s.name)).toEqual([`SELECT ${TABLE}`]);
  });

  it('submittable that fails: the error event reaches the listener, the span records it', async () => {
    const query = new pg.Query(`SELECT nope FROM ${TABLE}`);
    const err = await new Promise<Error & { code?: string }>((resolve) => {
      query.on('error', resolve);
      client.query(query);
    });
    expect(err.code).toBe('42703');
    const [span] = await waitForSpansOf(agent, 'pg', 1);
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.attributes['error.type']).toBe('42703');
    expect(span!.attributes['db.response.status_code']).toBe('42703');
  });

  it('syntax error: the same error object rejects, the span is ERROR with the SQLSTATE', async () => {
    const err = await client.query('SELEC 1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(pg.DatabaseError);
    expect((err as { code: string }).code).toBe('42601');
    const [span] = spansOf(agent, 'pg');
    expect(span!.name).toBe('postgresql');
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.attributes['error.type']).toBe('42601');
    expect(span!.attributes['db.response.status_code']).toBe('42601');
    expect(span!.events.map((e) => e.name)).toEqual(['exception']);
  });

  it('syntax error in callback form: callback called once with the error', async () => {
    let calls = 0;
    const err = await new Promise<Error>((resolve) =>
      client.query('SELECT FROM WHERE', (e: Error) => {
        calls++;
        resolve(e);
      }),
    );
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toBe(1);
    expect((err as Error & { code: string }).code).toBe('42601');
    expect(spansOf(agent, 'pg')[0]!.attributes['error.type']).toBe('42601');
  });

  it('a synchronous throw from the driver is rethrown and recorded', () => {
    expect(() => client.query('SELECT 1', [], 'not a function')).toThrow(TypeError);
    const [span] = spansOf(agent, 'pg');
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.attributes['error.type']).toBe('TypeError');
  });

  it('null config throws the driver error without a span', () => {
    expect(() => client.query(null)).toThrow('Client was passed a null or undefined query');
    expect(spansOf(agent, 'pg')).toHaveLength(0);
  });

  it('connection refused (port 1): connect rejects with ECONNREFUSED, recorded on a pg.connect span', async () => {
    const dead = new pg.Client({ ...PG_CONFIG, port: 1 });
    const parent = tracer.startSpan('parent');
    const connectErr = await context.with(trace.setSpan(context.active(), parent), () => dead.connect().catch((e: unknown) => e));
    parent.end();
    expect((connectErr as { code: string }).code).toBe('ECONNREFUSED');
    const [span, ...rest] = spansOf(agent, 'pg');
    expect(rest).toHaveLength(0);
    expect(span!.name).toBe('pg.connect');
    expect(span!.kind).toBe(SpanKind.CLIENT);
    expect(span!.parentSpanId).toBe(parent.spanContext().spanId);
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.attributes).toEqual({ ...BASE, 'server.port': 1, 'error.type': 'ECONNREFUSED' });
    // A query on the dead client fails; its span says so.
    const err = await dead.query('SELECT 1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    const spans = spansOf(agent, 'pg');
    expect(spans[1]!.name).toBe('SELECT');
    expect(spans[1]!.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('connect without an active span makes no span (no orphan connection noise); callback form', async () => {
    const other = new pg.Client(PG_CONFIG);
    let calls = 0;
    await new Promise<void>((resolve, reject) =>
      other.connect((err: Error | null) => {
        calls++;
        return err ? reject(err) : resolve();
      }),
    );
    await other.end();
    expect(calls).toBe(1);
    expect(spansOf(agent, 'pg')).toHaveLength(0);
  });
});

describe('pg Pool#query', () => {
  const pool = new pg.Pool({ ...PG_CONFIG, max: 2 });
  afterAll(() => pool.end());

  it('promise and callback forms make one span each', async () => {
    const res = await pool.query(`SELECT name FROM ${TABLE} WHERE id = $1`, [2]);
    expect(res.rows).toEqual([{ name: 'bob' }]);
    await new Promise<void>((resolve, reject) => pool.query(`DELETE FROM ${TABLE} WHERE id = 99`, (err: Error | null) => (err ? reject(err) : resolve())));
    expect(spansOf(agent, 'pg').map((s) => s.name)).toEqual([`SELECT ${TABLE}`, `DELETE ${TABLE}`]);
  });

  it('connection refused through a pool: the caller gets ECONNREFUSED, the pg.connect span is its child', async () => {
    const dead = new pg.Pool({ ...PG_CONFIG, port: 1 });
    const err = await tracer.startActiveSpan('handler', async (parent) => {
      const e = await dead.query('SELECT 1').catch((x: unknown) => x);
      parent.end();
      return e;
    });
    await dead.end();
    expect((err as { code: string }).code).toBe('ECONNREFUSED');
    const handler = agent.finishedSpans().find((s) => s.name === 'handler')!;
    const [span, ...rest] = spansOf(agent, 'pg');
    expect(rest).toHaveLength(0);
    expect(span!.name).toBe('pg.connect');
    expect(span!.parentSpanId).toBe(handler.spanId);
    expect(span!.attributes['error.type']).toBe('ECONNREFUSED');
  });
});
