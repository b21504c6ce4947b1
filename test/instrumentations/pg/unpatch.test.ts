import { describe, expect, it } from 'vitest';
import { isWrapped } from '../../../src/instrument/wrap';
import { spansOf } from '../../helpers/spans';
import { PG_CONFIG, setupPg } from './helpers';
import { nodeRequire } from '../../helpers/tracing';

const { agent, hooks, pg } = setupPg({ enabled: ['pg'] });

describe('pg unpatch', () => {
  it('uninstalling the hooks restores the original methods; queries then make no span', async () => {
    const Pool = nodeRequire('pg-pool');
    expect(isWrapped(pg.Client.prototype.query)).toBe(true);
    expect(isWrapped(pg.Client.prototype.connect)).toBe(true);
    expect(isWrapped(Pool.prototype.connect)).toBe(true);
    hooks.uninstall();
    expect(isWrapped(pg.Client.prototype.query)).toBe(false);
    expect(isWrapped(pg.Client.prototype.connect)).toBe(false);
    expect(isWrapped(Pool.prototype.connect)).toBe(false);
    const client = new pg.Client(PG_CONFIG);
    await client.connect();
    expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await client.end();
    expect(spansOf(agent, 'pg')).toHaveLength(0);
  });
});
