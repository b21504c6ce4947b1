import { describe, expect, it } from 'vitest';
import { trace } from '@opentelemetry/api';
import { isWrapped } from '../../../src/instrument/wrap';
import { MYSQL_CONFIG, callback, mysqlClasses, setupMysql } from './helpers';

// OTEL_NODE_DISABLED_INSTRUMENTATIONS=mysql: mysql must behave exactly as with no agent.
const { agent, hooks, mysql } = setupMysql({ disabled: ['mysql'] });
const tracer = trace.getTracer('test');

describe('mysql disabled', () => {
  it('patches nothing', () => {
    expect(hooks.instrumentations).not.toContain('mysql');
    const { Connection, Pool } = mysqlClasses();
    expect(isWrapped(Connection.prototype.query)).toBe(false);
    expect(isWrapped(Pool.prototype.getConnection)).toBe(false);
  });

  it('same results, errors and callbacks, and no database span', async () => {
    await tracer.startActiveSpan('parent', async (span) => {
      const pool = mysql.createPool({ ...MYSQL_CONFIG, connectionLimit: 1 });
      const [e1, rows] = await callback((cb) => pool.query("SELECT ? + 1 AS n, 'x' AS s", [1], cb));
      expect(e1).toBeNull();
      expect(rows).toEqual([{ n: 2, s: 'x' }]);
      const [err] = await callback((cb) => pool.query('SELEC 1', cb));
      expect((err as { code: string }).code).toBe('ER_PARSE_ERROR');
      await new Promise((r) => pool.end(r));
      const conn = mysql.createConnection(MYSQL_CONFIG);
      let calls = 0;
      const [e, one] = await callback((cb) =>
        conn.query('SELECT 1 AS one', (...args: unknown[]) => {
          calls++;
          cb(...args);
        }),
      );
      expect(e).toBeNull();
      expect(one).toEqual([{ one: 1 }]);
      expect(calls).toBe(1);
      await new Promise((r) => conn.end(r));
      span.end();
    });
    expect(agent.finishedSpans().map((s) => s.name)).toEqual(['parent']);
  });
});
