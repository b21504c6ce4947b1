import { Char, CharClass, SqlScanner, classOf, identEnd, isDigit, isIdentStart, isSpace, isWord, orEnd, type SqlDialect } from './sql-lexer';

/**
 * The operation and table of a SQL statement, read from its start, for span names
 * (`SELECT users`) and `db.operation.name` / `db.collection.name`.
 * https://opentelemetry.io/docs/specs/semconv/database/database-spans/#name
 */

/** What `summarize` reads from the start of a statement. */
export interface SqlSummary {
  /** First keyword, upper case (`SELECT`), when it is a known statement keyword. */
  readonly operation: string | undefined;
  /** First table after FROM / INTO / UPDATE / JOIN (or TABLE in DDL), quotes removed. */
  readonly collection: string | undefined;
}

const SUMMARY_SCAN_LIMIT = 4096;
const COLLECTION_MAX_LENGTH = 128;

const OPERATIONS: ReadonlySet<string> = new Set([
  'SELECT', 'INSERT', 'UPDATE', 'DELETE', 'MERGE', 'UPSERT', 'REPLACE', 'WITH', 'VALUES', 'TABLE',
  'CREATE', 'ALTER', 'DROP', 'TRUNCATE', 'RENAME', 'COMMENT', 'GRANT', 'REVOKE',
  'BEGIN', 'START', 'COMMIT', 'ROLLBACK', 'SAVEPOINT', 'RELEASE', 'END', 'ABORT',
  'SET', 'SHOW', 'RESET', 'USE', 'DESCRIBE', 'DESC', 'EXPLAIN', 'ANALYZE', 'VACUUM', 'CALL', 'DO',
  'EXECUTE', 'PREPARE', 'DEALLOCATE', 'COPY', 'LOCK', 'UNLOCK', 'LISTEN', 'NOTIFY', 'UNLISTEN',
  'DECLARE', 'FETCH', 'MOVE', 'CLOSE', 'DISCARD', 'REFRESH', 'REINDEX', 'CLUSTER', 'CHECKPOINT',
  'LOAD', 'HANDLER', 'OPTIMIZE', 'KILL', 'FLUSH',
]);

const DDL: ReadonlySet<string> = new Set(['CREATE', 'ALTER', 'DROP', 'TRUNCATE']);

const NO_SUMMARY: SqlSummary = Object.freeze({ operation: undefined, collection: undefined });

/**
 * Reads the operation (first keyword) and the first table of a statement, cheaply:
 * at most the first 4 KiB, literals and comments skipped. Never throws.
 */
export function summarize(sql: string, dialect: SqlDialect = 'postgresql'): SqlSummary {
  if (typeof sql !== 'string' || sql.length === 0) return NO_SUMMARY;
  try {
    return new Summarizer(sql, dialect === 'mysql').run();
  } catch {
    return NO_SUMMARY;
  }
}

class Summarizer {
  readonly end: number;
  i = 0;
  depth = 0;
  /** Bounds of the word `nextWord` found. */
  ws = 0;
  we = 0;
  readonly s: SqlScanner;

  constructor(
    readonly sql: string,
    mysql: boolean,
  ) {
    this.end = Math.min(sql.length, SUMMARY_SCAN_LIMIT);
    // Literals and comments are skipped with the sanitizer's rules for the dialect.
    this.s = new SqlScanner(sql, this.end, mysql);
  }

  run(): SqlSummary {
    if (!this.nextWord()) return NO_SUMMARY;
    const first = this.sql.slice(this.ws, this.we).toUpperCase();
    if (!OPERATIONS.has(first)) return NO_SUMMARY;
    let operation = first;
    let collection: string | undefined;
    let withPrefix = first === 'WITH';
    if (first === 'UPDATE') collection = this.readName(false);
    while ((collection === undefined || withPrefix) && this.nextWord()) {
      const k = keywordAt(this.sql, this.ws, this.we);
      if (k === undefined) continue;
      if (withPrefix && this.depth === 0 && k !== 'FROM' && k !== 'JOIN' && k !== 'INTO' && k !== 'TABLE') {
        // The statement after `WITH name AS (…), …`.
        operation = k;
        withPrefix = false;
        if (collection === undefined && k === 'UPDATE') collection = this.readName(false);
        continue;
      }
      if (collection !== undefined) continue;
      if (k === 'FROM' || k === 'JOIN') collection = this.readName(true);
      else if (k === 'INTO' || k === 'UPDATE') collection = this.readName(false);
      else if (k === 'TABLE' && DDL.has(operation)) collection = this.readName(false, true);
    }
    return { operation, collection };
  }

  /** Moves to the next unquoted word (bounds in ws/we), skipping literals, comments and punctuation. */
  nextWord(): boolean {
    const sql = this.sql;
    const end = this.end;
    while (this.i < end) {
      const i = this.i;
      const c = sql.charCodeAt(i);
      const cls = classOf(c);
      if (cls === CharClass.SPACE) {
        this.i = i + 1;
        continue;
      }
      if (cls === CharClass.START) {
        const p = this.s.stringPrefix(i);
        if (p > 0) {
          this.i = orEnd(this.s.stringEnd(i + p, p === 1 && (c | 0x20) === 101), end);
          continue;
        }
        this.ws = i;
        this.we = this.i = identEnd(sql, i + 1, end);
        return true;
      }
      if (cls === CharClass.DIGIT) {
        this.i = identEnd(sql, i + 1, end);
        continue;
      }
      if (cls === CharClass.OTHER) {
        if (c === Char.LPAREN) this.depth++;
        else if (c === Char.RPAREN && this.depth > 0) this.depth--;
        this.i = i + 1;
        continue;
      }
      const ce = this.s.commentEnd(i);
      if (ce >= 0) {
        this.i = ce;
        continue;
      }
      if (c === Char.QUOTE) this.i = orEnd(this.s.stringEnd(i, false), end);
      else if (c === Char.DQUOTE || c === Char.BACKTICK) this.i = orEnd(this.s.quotedEnd(i, c, this.s.mysql && c === Char.DQUOTE), end);
      else if (c === Char.DOLLAR) {
        const d = this.s.mysql ? -1 : this.s.dollarEnd(i);
        this.i = d === -1 ? identEnd(sql, i + 1, end) : orEnd(d, end);
      } else this.i = i + 1;
    }
    return false;
  }

  skipBlank(): void {
    const sql = this.sql;
    while (this.i < this.end) {
      const c = sql.charCodeAt(this.i);
      if (isSpace(c)) {
        this.i++;
        continue;
      }
      const ce = this.s.commentEnd(this.i);
      if (ce < 0) return;
      this.i = ce;
    }
  }

  /**
   * A possibly qualified, possibly quoted name at the cursor (`public.users`, `"Users"`).
   * `notCall`: a name followed by `(` is a function (FROM generate_series(…)), not a table.
   */
  readName(notCall: boolean, ddl = false): string | undefined {
    const sql = this.sql;
    let name = '';
    for (let part = 0; ; part++) {
      this.skipBlank();
      if (this.i >= this.end) break;
      const c = sql.charCodeAt(this.i);
      if (c === Char.DQUOTE || c === Char.BACKTICK) {
        const e = this.s.quotedEnd(this.i, c, false);
        if (e < 0) return undefined;
        name += unquote(sql.slice(this.i + 1, e - 1), c);
        this.i = e;
      } else if (isIdentStart(c) || isDigit(c)) {
        const from = this.i;
        const to = identEnd(sql, from + 1, this.end);
        this.i = to;
        if (part === 0 && ddl && isWord(sql, from, to, 'if')) {
          // CREATE TABLE IF NOT EXISTS t / DROP TABLE IF EXISTS t
          while (this.nextWord() && !isWord(sql, this.ws, this.we, 'exists'));
          part = -1;
          continue;
        }
        if (part === 0 && (isWord(sql, from, to, 'only') || isWord(sql, from, to, 'lateral'))) {
          part = -1;
          continue;
        }
        name += sql.slice(from, to);
      } else {
        return undefined;
      }
      this.skipBlank();
      if (this.i < this.end && sql.charCodeAt(this.i) === Char.DOT) {
        name += '.';
        this.i++;
        continue;
      }
      break;
    }
    if (name.length === 0 || name.charCodeAt(name.length - 1) === Char.DOT) return undefined;
    if (notCall && this.i < this.end && sql.charCodeAt(this.i) === Char.LPAREN) return undefined;
    return name.length > COLLECTION_MAX_LENGTH ? name.slice(0, COLLECTION_MAX_LENGTH) : name;
  }
}

/** The keywords `summarize` looks for, matched in place without allocating. */
type Keyword = 'FROM' | 'JOIN' | 'INTO' | 'TABLE' | 'UPDATE' | 'SELECT' | 'INSERT' | 'DELETE' | 'MERGE';

function keywordAt(sql: string, from: number, to: number): Keyword | undefined {
  switch (to - from) {
    case 4:
      if (isWord(sql, from, to, 'from')) return 'FROM';
      if (isWord(sql, from, to, 'join')) return 'JOIN';
      if (isWord(sql, from, to, 'into')) return 'INTO';
      return undefined;
    case 5:
      if (isWord(sql, from, to, 'table')) return 'TABLE';
      if (isWord(sql, from, to, 'merge')) return 'MERGE';
      return undefined;
    case 6:
      if (isWord(sql, from, to, 'update')) return 'UPDATE';
      if (isWord(sql, from, to, 'select')) return 'SELECT';
      if (isWord(sql, from, to, 'insert')) return 'INSERT';
      if (isWord(sql, from, to, 'delete')) return 'DELETE';
      return undefined;
    default:
      return undefined;
  }
}

function unquote(inner: string, quote: number): string {
  const q = String.fromCharCode(quote);
  return inner.includes(q + q) ? inner.split(q + q).join(q) : inner;
}
