import { describe, expect, it } from 'vitest';
import { trace } from '@opentelemetry/api';
import { isWrapped } from '../../../src/instrument/wrap';
import { MYSQL_CONFIG, callback, setupMysql2 } from './helpers';

// OTEL_NODE_DISABLED_INSTRUMENTATIONS=mysql2: mysql2 must behave exactly as with no agent.
const { agent, hooks, mysql, mysqlPromise } = setupMysql2({ disabled: ['mysql2'] });
const tracer = trace.getTracer('test');

describe('mysql2 disabled', () => {
  it('patches nothing', () => {
    expect(hooks.instrumentations).not.toContain('mysql2');
    expect(isWrapped(mysql.Connection.prototype.query)).toBe(false);
    expect(isWrapped(mysql.Connection.prototype.execute)).toBe(false);
    expect(isWrapped(mysql.Pool.prototype.getConnection)).toBe(false);
  });

  it('same results, errors and callbacks, and no database span', async () => {
    await tracer.startActiveSpan('parent', async (span) => {
      const pool = mysqlPromise.createPool({ ...MYSQL_CONFIG, connectionLimit: 1 });
      expect((await pool.query("SELECT ? + 1 AS n, 'x' AS s", [1]))[0]).toEqual([{ n: 2, s: 'x' }]);
      const err = await pool.execute('SELEC 1').catch((e: unknown) => e);
      expect((err as { code: string }).code).toBe('ER_PARSE_ERROR');
      await pool.end();
      const conn = mysql.createConnection(MYSQL_CONFIG);
      let calls = 0;
      const [e, rows] = await callback((cb) =>
        conn.query('SELECT 1 AS one', (...args: unknown[]) => {
          calls++;
          cb(...args);
        }),
      );
      expect(e).toBeNull();
      expect(rows).toEqual([{ one: 1 }]);
      expect(calls).toBe(1);
      await conn.promise().end();
      span.end();
    });
    expect(agent.finishedSpans().map((s) => s.name)).toEqual(['parent']);
  });
});
