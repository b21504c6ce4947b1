import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SQL_MAX_LENGTH, sanitizeSql } from '../../src/instrument/sql-sanitizer';
import { summarize } from '../../src/instrument/sql-summarizer';

// Whatever SQL (or non-SQL) text a driver is handed, sanitizing never throws, stays bounded,
// and never lets a quoted literal or a number through.
const sqlish = fc.oneof(
  fc.string({ maxLength: 400 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc
    .array(
      fc.oneof(
        fc.constantFrom('SELECT', 'FROM', 'WHERE', 'IN', '(', ')', ',', '=', '--', '/*', '*/', '$$', '$tag$', "E'", "'", '"', '`', '\\', '\n', ' ', ';', '#'),
        fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/),
        fc.integer().map(String),
        fc.double({ noNaN: true }).map(String),
      ),
      { maxLength: 60 },
    )
    .map((parts) => parts.join(' ')),
);

describe('property: SQL sanitizing', () => {
  for (const dialect of ['postgresql', 'mysql'] as const) {
    it(`${dialect}: never throws, output bounded`, () => {
      fc.assert(
        fc.property(sqlish, (sql) => {
          const out = sanitizeSql(sql, dialect);
          expect(typeof out).toBe('string');
          expect(out.length).toBeLessThanOrEqual(SQL_MAX_LENGTH + 3); // + an ellipsis marker at most
          expect(() => summarize(sql, dialect)).not.toThrow();
        }),
        { numRuns: 3000 },
      );
    });

    it(`${dialect}: a literal in a WHERE clause never survives`, () => {
      const secret = fc.stringMatching(/^[A-Za-z]{6,20}$/).map((s) => `S3CR3T${s}`);
      fc.assert(
        fc.property(secret, fc.integer({ min: 100000, max: 2 ** 40 }), fc.stringMatching(/^[a-z_]{1,10}$/), (s, n, col) => {
          const sql = `SELECT * FROM t WHERE ${col} = '${s.replace(/'/g, "''")}' AND n = ${n} -- ${s}`;
          const out = sanitizeSql(sql, dialect);
          expect(out).not.toContain(s);
          expect(out).not.toContain(String(n));
        }),
        { numRuns: 1000 },
      );
    });
  }
});
