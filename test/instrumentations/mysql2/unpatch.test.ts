import { describe, expect, it } from 'vitest';
import { isWrapped } from '../../../src/instrument/wrap';
import { spansOf } from '../../helpers/spans';
import { MYSQL_CONFIG, setupMysql2 } from './helpers';

const { agent, hooks, mysql, mysqlPromise } = setupMysql2({ enabled: ['mysql2'] });

describe('mysql2 unpatch', () => {
  it('uninstalling the hooks restores the original methods; queries then make no span', async () => {
    for (const m of ['query', 'execute']) expect(isWrapped(mysql.Connection.prototype[m])).toBe(true);
    expect(isWrapped(mysql.Pool.prototype.getConnection)).toBe(true);
    hooks.uninstall();
    for (const m of ['query', 'execute']) expect(isWrapped(mysql.Connection.prototype[m])).toBe(false);
    expect(isWrapped(mysql.Pool.prototype.getConnection)).toBe(false);
    const conn = await mysqlPromise.createConnection(MYSQL_CONFIG);
    expect((await conn.query('SELECT 1 AS one'))[0]).toEqual([{ one: 1 }]);
    await conn.end();
    expect(spansOf(agent, 'mysql2')).toHaveLength(0);
  });
});
