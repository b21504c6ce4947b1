import { afterAll, describe, expect, it } from 'vitest';
import { trace } from '@opentelemetry/api';
import { isWrapped } from '../../../src/instrument/wrap';
import { PG_CONFIG, setupPg } from './helpers';
import { nodeRequire } from '../../helpers/tracing';

// OTEL_NODE_DISABLED_INSTRUMENTATIONS=pg: pg must behave exactly as with no agent.
const { agent, hooks, pg } = setupPg({ disabled: ['pg'] });
const tracer = trace.getTracer('test');
const pool = new pg.Pool({ ...PG_CONFIG, max: 2 });
afterAll(() => pool.end());

describe('pg disabled', () => {
  it('patches nothing', () => {
    expect(hooks.instrumentations).not.toContain('pg');
    expect(isWrapped(pg.Client.prototype.query)).toBe(false);
    expect(isWrapped(pg.Client.prototype.connect)).toBe(false);
    expect(isWrapped(nodeRequire('pg-pool').prototype.connect)).toBe(false);
  });

  it('same results, errors and callbacks, and no database span', async () => {
    await tracer.startActiveSpan('parent', async (span) => {
      expect((await pool.query("SELECT $1::int + 1 AS n, 'x' AS s", [1])).rows).toEqual([{ n: 2, s: 'x' }]);
      const err = await pool.query('SELEC 1').catch((e: unknown) => e);
      expect((err as { code: string }).code).toBe('42601');
      const calls: unknown[][] = [];
      await new Promise<void>((resolve) =>
        pool.query('SELECT 1 AS one', (...args: unknown[]) => {
          calls.push(args);
          resolve();
        }),
      );
      expect(calls).toHaveLength(1);
      // pg-pool calls back with `undefined`, not null, as the error.
      expect(calls[0]![0]).toBeUndefined();
      expect((calls[0]![1] as { rows: unknown[] }).rows).toEqual([{ one: 1 }]);
      span.end();
    });
    expect(agent.finishedSpans().map((s) => s.name)).toEqual(['parent']);
  });
});
