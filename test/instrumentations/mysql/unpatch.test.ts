import { describe, expect, it } from 'vitest';
import { isWrapped } from '../../../src/instrument/wrap';
import { spansOf } from '../../helpers/spans';
import { MYSQL_CONFIG, mysqlClasses, query, setupMysql } from './helpers';

const { agent, hooks, mysql } = setupMysql({ enabled: ['mysql'] });

describe('mysql unpatch', () => {
  it('uninstalling the hooks restores the original methods; queries then make no span', async () => {
    const { Connection, Pool } = mysqlClasses();
    expect(isWrapped(Connection.prototype.query)).toBe(true);
    expect(isWrapped(Pool.prototype.getConnection)).toBe(true);
    hooks.uninstall();
    expect(isWrapped(Connection.prototype.query)).toBe(false);
    expect(isWrapped(Pool.prototype.getConnection)).toBe(false);
    const conn = mysql.createConnection(MYSQL_CONFIG);
    expect(await query(conn, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await new Promise((r) => conn.end(r));
    expect(spansOf(agent, 'mysql')).toHaveLength(0);
  });
});
