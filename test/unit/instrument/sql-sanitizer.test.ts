import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/config';
import { sqlSpanSpec } from '../../../src/instrument/sql-span';
import { SQL_MAX_LENGTH, SQL_SCAN_LIMIT, SQL_TRUNCATED, sanitizeSql } from '../../../src/instrument/sql-sanitizer';
import { summarize } from '../../../src/instrument/sql-summarizer';

const pg = (sql: string) => sanitizeSql(sql, 'postgresql');
const my = (sql: string) => sanitizeSql(sql, 'mysql');

describe('sanitizeSql: literals', () => {
  it.each([
    ["SELECT * FROM users WHERE name = 'bob'", 'SELECT * FROM users WHERE name = ?'],
    ["SELECT 'it''s' AS x", 'SELECT ? AS x'],
    ["SELECT '' , 'a'''", 'SELECT ? , ?'],
    ["SELECT E'it\\'s a \\\\ test', 'x'", 'SELECT ?, ?'],
    ["SELECT e'\\''", 'SELECT ?'],
    ["SELECT X'1F', B'0101', N'nat', U&'d\\0061t'", 'SELECT ?, ?, ?, ?'],
    ['SELECT $$it\'s $ quoted$$, 1', 'SELECT ?, ?'],
    ['SELECT $fn$ body with $$ and \'q\' $fn$ AS f', 'SELECT ? AS f'],
    ['SELECT $a$x$b$y$b$z$a$', 'SELECT ?'],
    ['SELECT 42, 3.14, .5, 1., 1e10, 2.5E-3, 6e+2, 0x1F, 0XabC, 1_000_000', 'SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?'],
    ['SELECT 0b0101, 0o17, 0B1, 0', 'SELECT ?, ?, ?, ?'],
    ['SELECT * FROM t1 JOIN t2 ON t1.id = t2.id WHERE t1.col2 > 7', 'SELECT * FROM t1 JOIN t2 ON t1.id = t2.id WHERE t1.col2 > ?'],
    ['SELECT * FROM users WHERE id = $1 AND org = $12', 'SELECT * FROM users WHERE id = $1 AND org = $12'],
    ['SELECT a$1, "x1", _9 FROM s1.t2', 'SELECT a$1, "x1", _9 FROM s1.t2'],
    ['UPDATE t SET a = -5, b = +3, c = x - 1, d = (-2.5)', 'UPDATE t SET a = ?, b = ?, c = x - ?, d = (?)'],
    ['SELECT -1', 'SELECT -?'],
    ['SELECT 5-3, a-1, f(x)-2', 'SELECT ?-?, a-?, f(x)-?'],
  ])('postgresql: %s', (input, expected) => {
    expect(pg(input)).toBe(expected);
  });

  it('keeps double-quoted identifiers in PostgreSQL, with "" escapes and digits inside', () => {
    expect(pg('SELECT "it\'s" , "a""b1" FROM "T 2" WHERE "c3" = 4')).toBe('SELECT "it\'s" , "a""b1" FROM "T 2" WHERE "c3" = ?');
  });

  it('MySQL: backslash escapes, double quotes are strings, backticks are identifiers', () => {
    expect(my("SELECT * FROM `user's 1` WHERE a = 'it\\'s' AND b = \"x\\\"y\" AND c = 12")).toBe(
      'SELECT * FROM `user\'s 1` WHERE a = ? AND b = ? AND c = ?',
    );
    expect(my('SELECT * FROM 1tbl, t WHERE x = 1')).toBe('SELECT * FROM 1tbl, t WHERE x = ?');
    expect(my("SELECT x'0A', b'01', _utf8mb4'abc'")).toBe('SELECT ?, ?, _utf8mb4?');
    expect(my('SELECT 0b0101, 0x1F, 0xZZ')).toBe('SELECT ?, ?, 0xZZ');
  });

  it('PostgreSQL: a backslash does not escape in a standard string, so the next literal is still found', () => {
    // 'C:\' ends at its quote under standard_conforming_strings; the password must not leak.
    expect(pg("INSERT INTO t VALUES ('C:\\', 'hunter2')")).toBe('INSERT INTO t VALUES (?, ?)');
    expect(pg("INSERT INTO t (a, b) VALUES ('C:\\', 'hunter2'), (1, 2)")).toBe('INSERT INTO t (a, b) VALUES (?, ?), (?, ?)');
  });

  it('MySQL: an escaped quote does not end the string, so the text after it is not exposed', () => {
    expect(my("INSERT INTO t (a, b) VALUES ('it\\'s', 'hunter2')")).toBe('INSERT INTO t (a, b) VALUES (?, ?)');
  });
});

describe('sanitizeSql: comments', () => {
  it.each([
    ['SELECT 1 -- trailing secret 42', 'SELECT ?'],
    ["SELECT a -- it's here\nFROM t", 'SELECT a \nFROM t'],
    ["SELECT /* 'quoted' and 7 */ a FROM t", 'SELECT  a FROM t'],
    ['/* app=web,route=/x */ SELECT 1', 'SELECT ?'],
    ['SELECT/**/a', 'SELECT a'],
    ['SELECT a/* c */FROM t', 'SELECT a FROM t'],
    ['SELECT /* outer /* inner */ still comment */ 1', 'SELECT  ?'],
    ["SELECT 'a -- not a comment', b", 'SELECT ?, b'],
    ["SELECT '/* not a comment */' FROM t", 'SELECT ? FROM t'],
    ['SELECT 1 /* unterminated', 'SELECT ?'],
  ])('postgresql: %j', (input, expected) => {
    expect(pg(input)).toBe(expected);
  });

  it('MySQL: # comments, `-- ` needs a space, block comments do not nest', () => {
    expect(my("SELECT a # secret 'x'\nFROM t")).toBe('SELECT a \nFROM t');
    expect(my('SELECT 1--2')).toBe('SELECT ?-?');
    expect(my('SELECT 1 -- 2')).toBe('SELECT ?');
    expect(my('SELECT /* a /* b */ 1')).toBe('SELECT  ?');
  });

  it('PostgreSQL: # is an operator, not a comment', () => {
    expect(pg('SELECT 5 # 3')).toBe('SELECT ? # ?');
  });
});

describe('sanitizeSql: IN lists', () => {
  it.each([
    ['SELECT * FROM t WHERE id IN (1, 2, 3)', 'SELECT * FROM t WHERE id IN (?)'],
    ["SELECT * FROM t WHERE id in ('a','b' , 'c''d')", 'SELECT * FROM t WHERE id in (?)'],
    ['SELECT * FROM t WHERE id IN ($1, $2, $3)', 'SELECT * FROM t WHERE id IN (?)'],
    ['SELECT * FROM t WHERE id IN (?, ?, ?)', 'SELECT * FROM t WHERE id IN (?)'],
    ['SELECT * FROM t WHERE id IN(-1, 2.5, NULL)', 'SELECT * FROM t WHERE id IN(?)'],
    ['SELECT * FROM t WHERE id NOT IN (7)', 'SELECT * FROM t WHERE id NOT IN (?)'],
    ['SELECT * FROM t WHERE id IN (SELECT id FROM u WHERE x = 1)', 'SELECT * FROM t WHERE id IN (SELECT id FROM u WHERE x = ?)'],
    ['SELECT * FROM t WHERE id IN (a, 1)', 'SELECT * FROM t WHERE id IN (a, ?)'],
    ['SELECT * FROM t WHERE id IN (1, 2', 'SELECT * FROM t WHERE id IN (?, ?'],
    ['SELECT * FROM t WHERE id IN (1, /* c */ 2)', 'SELECT * FROM t WHERE id IN (?,  ?)'],
    ['SELECT * FROM main WHERE x = 1', 'SELECT * FROM main WHERE x = ?'],
    ['SELECT * FROM t WHERE id IN ()', 'SELECT * FROM t WHERE id IN ()'],
  ])('%s', (input, expected) => {
    expect(pg(input)).toBe(expected);
  });
});

describe('sanitizeSql: odd input never throws and never leaks', () => {
  it.each([
    ["SELECT 'unterminated secret", 'SELECT ?'],
    ['SELECT "unterminated ident', 'SELECT "unterminated ident'],
    ['SELECT $tag$ never closed secret', 'SELECT ?'],
    ["SELECT E'ends with backslash \\", 'SELECT ?'],
    ['', ''],
    ["'", '?'],
    ['$', '$'],
    ['$$', '?'],
    ['-', '-'],
    ['--', ''],
    ['/*', ''],
    ['0x', '?x'],
    ['SELECT 1e', 'SELECT ?e'],
    ['IN (', 'IN ('],
  ])('%j', (input, expected) => {
    expect(pg(input)).toBe(expected);
  });

  it('returns "" for non-strings', () => {
    expect(sanitizeSql(undefined as unknown as string)).toBe('');
    expect(sanitizeSql(42 as unknown as string)).toBe('');
    expect(sanitizeSql({ toString: () => "x'1'" } as unknown as string)).toBe('');
  });

  it('never lets a digit run or quoted literal through on random input', () => {
    // Random statements assembled from fragments: no number may survive, nor the secret.
    const parts = ["'s3cret'", '12', 'a1', '$1', '"q"', '--c\n', '/*x*/', '(', ')', ',', 'IN', '$$d$$', "E'\\''", '-', '.5', 'SELECT', '`b`', '#', '\\', "''"];
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % parts.length);
    for (let n = 0; n < 2000; n++) {
      // Fragments are space-separated so that each keeps its own meaning (glued together,
      // `'a''b'` is one literal and the check below would not know what a literal is).
      const picked: string[] = [];
      for (let k = 0; k < 12; k++) picked.push(parts[rnd()]!);
      const sql = picked.join(' ');
      expect(() => sanitizeSql(picked.join(''), 'postgresql')).not.toThrow();
      for (const dialect of ['postgresql', 'mysql'] as const) {
        const out = sanitizeSql(sql, dialect);
        expect(out, `${dialect}: ${sql}`).not.toContain('s3cret');
        // PostgreSQL: no digit may start a token. MySQL: only as the start of an identifier (`12a`).
        const leak = dialect === 'postgresql' ? /(^|[^\w$"`])\d/ : /(^|[^\w$"`])\d+(?![\w$])/;
        expect(out, `${dialect}: ${sql}`).not.toMatch(leak);
      }
    }
  });

  it('bounds the output and marks the cut', () => {
    const long = 'SELECT ' + Array.from({ length: 3000 }, (_, i) => `col_${i}`).join(', ') + ' FROM t';
    const out = pg(long);
    expect(out.length).toBe(SQL_MAX_LENGTH + SQL_TRUNCATED.length);
    expect(out.endsWith(SQL_TRUNCATED)).toBe(true);
    expect(sanitizeSql("SELECT 'abc', 1234567", 'postgresql', 10)).toBe('SELECT ?, ' + SQL_TRUNCATED);
  });

  it('scans a bounded prefix of huge input; a literal cut by the window stays hidden', () => {
    const huge = "INSERT INTO t VALUES ('" + 'x'.repeat(SQL_SCAN_LIMIT * 4) + "', 'after')";
    const t0 = performance.now();
    const out = pg(huge);
    expect(performance.now() - t0).toBeLessThan(200);
    expect(out).toBe('INSERT INTO t VALUES (?' + SQL_TRUNCATED);
  });

  it('does not cut a surrogate pair in half', () => {
    const out = sanitizeSql('SELECT "a😀b"', 'postgresql', 10);
    expect(out).toBe('SELECT "a' + SQL_TRUNCATED);
  });
});

describe('summarize', () => {
  it.each([
    ['SELECT * FROM users WHERE id = 1', 'SELECT', 'users'],
    ['select id from public.users u join orgs o on o.id = u.org', 'SELECT', 'public.users'],
    ['INSERT INTO "Order Items" (a) VALUES (1)', 'INSERT', 'Order Items'],
    ['UPDATE accounts SET balance = 0', 'UPDATE', 'accounts'],
    ['DELETE FROM sessions WHERE expired', 'DELETE', 'sessions'],
    ['  /* hint */ -- c\n (SELECT a FROM t1) UNION (SELECT a FROM t2)', 'SELECT', 't1'],
    ["SELECT 'FROM secrets' AS x FROM real_table", 'SELECT', 'real_table'],
    ['SELECT * FROM generate_series(1, 3) g JOIN t ON true', 'SELECT', 't'],
    ['SELECT now()', 'SELECT', undefined],
    ['SELECT 1 FOR UPDATE', 'SELECT', undefined],
    ['WITH recent AS (SELECT * FROM orders) SELECT * FROM recent', 'SELECT', 'orders'],
    ['WITH d AS (DELETE FROM q RETURNING *) INSERT INTO log SELECT * FROM d', 'INSERT', 'q'],
    ['CREATE TABLE IF NOT EXISTS widgets (id int)', 'CREATE', 'widgets'],
    ['DROP TABLE IF EXISTS "w""x"', 'DROP', 'w"x'],
    ['UPDATE ONLY parent SET x = 1', 'UPDATE', 'parent'],
    ['BEGIN', 'BEGIN', undefined],
    ['commit', 'COMMIT', undefined],
    ['EXPLAIN SELECT * FROM t', 'EXPLAIN', 't'],
    ['bogus statement FROM t', undefined, undefined],
    ['', undefined, undefined],
    ['SELECT * FROM $tag$x$tag$', 'SELECT', undefined],
    ["SELECT * FROM t WHERE a = $$FROM x$$", 'SELECT', 't'],
  ])('%j', (sql, operation, collection) => {
    expect(summarize(sql)).toEqual({ operation, collection });
  });

  it('MySQL: backticks and # comments', () => {
    expect(summarize('# note FROM x\nSELECT * FROM `db`.`tbl`', 'mysql')).toEqual({ operation: 'SELECT', collection: 'db.tbl' });
    expect(summarize("SELECT 'it\\'s FROM x' FROM real", 'mysql')).toEqual({ operation: 'SELECT', collection: 'real' });
  });

  it('never throws on odd input', () => {
    for (const sql of ['(', ')))', 'SELECT "', 'SELECT * FROM "', 'SELECT * FROM', 'INSERT INTO .', 'UPDATE', '$$', "'"]) {
      expect(() => summarize(sql)).not.toThrow();
    }
    expect(summarize(null as unknown as string)).toEqual({ operation: undefined, collection: undefined });
  });
});

describe('WAYMARK_DB_STATEMENT', () => {
  const statement = (v?: string) => readConfig(v === undefined ? {} : { WAYMARK_DB_STATEMENT: v }).instrumentations.settings.db.statement;
  const call = { system: 'postgresql' as const, text: "SELECT 'x' FROM t", namespace: undefined, serverAddress: undefined, serverPort: undefined };

  it('sanitizes by default', () => {
    expect(statement()).toBe('sanitized');
    expect(sqlSpanSpec(call, statement()).attributes!['db.query.text']).toBe('SELECT ? FROM t');
  });

  it('raw keeps the text as is (the summary is the same)', () => {
    expect(statement(' RAW ')).toBe('raw');
    const spec = sqlSpanSpec(call, statement('raw'));
    expect(spec.attributes!['db.query.text']).toBe("SELECT 'x' FROM t");
    expect(spec.name).toBe('SELECT t');
    // The statement cache serves both modes: sanitized again right after.
    expect(sqlSpanSpec(call, 'sanitized').attributes!['db.query.text']).toBe('SELECT ? FROM t');
  });

  it('an unknown value falls back to sanitized', () => {
    expect(statement('verbatim-please')).toBe('sanitized');
    expect(statement('sanitize')).toBe('sanitized');
  });
});
