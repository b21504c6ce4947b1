import { diag } from '../diag';

/**
 * SQL sanitizing for `db.query.text`: literals become `?`, comments go, `IN (…)` lists of
 * literals collapse to `IN (?)`, identifiers stay. One pass over char codes, no regular
 * expressions, bounded work and output, never throws.
 * https://opentelemetry.io/docs/specs/semconv/database/database-spans/#sanitization-of-dbquerytext
 */

/** Tokenizing rules that differ between servers. */
export type SqlDialect = 'postgresql' | 'mysql';

/** Longest sanitized text returned (UTF-16 units, before the truncation marker). */
export const SQL_MAX_LENGTH = 4096;
/** Input beyond this many characters is not scanned (the output is marked truncated). */
export const SQL_SCAN_LIMIT = 65536;
/** Appended when the statement was cut. */
export const SQL_TRUNCATED = '...';

const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const BANG = 33;
const DQUOTE = 34;
const HASH = 35;
const DOLLAR = 36;
const PERCENT = 37;
const AMP = 38;
const QUOTE = 39;
const LPAREN = 40;
const RPAREN = 41;
const STAR = 42;
const PLUS = 43;
const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const SLASH = 47;
const ZERO = 48;
const NINE = 57;
const SEMI = 59;
const LT = 60;
const EQ = 61;
const GT = 62;
const QMARK = 63;
const BACKSLASH = 92;
const CARET = 94;
const UNDERSCORE = 95;
const BACKTICK = 96;
const PIPE = 124;
const TILDE = 126;

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

function isLetter(c: number): boolean {
  const l = c | 0x20;
  return l >= 97 && l <= 122;
}

function isSpace(c: number): boolean {
  return c === SPACE || (c >= TAB && c <= CR);
}

// Character classes of ASCII codes, so the hot loops test one table entry per character.
const C_OTHER = 0; // punctuation kept as is: , ( ) = < > * ; ? …
const C_SPACE = 1;
const C_START = 2; // may start an identifier: letters, `_` (and every non-ASCII char)
const C_DIGIT = 3;
const C_SPECIAL = 4; // may start a literal or a comment: ' " ` $ - + / # .
const CLASS = new Uint8Array(128);
/** 1 for ASCII codes that may continue an unquoted identifier (`$` does in both dialects). */
const IDENT = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if (isLetter(c) || c === UNDERSCORE) CLASS[c] = C_START;
  else if (isDigit(c)) CLASS[c] = C_DIGIT;
  else if (c === SPACE || (c >= TAB && c <= CR)) CLASS[c] = C_SPACE;
  IDENT[c] = isLetter(c) || isDigit(c) || c === UNDERSCORE || c === DOLLAR ? 1 : 0;
}
for (const c of [QUOTE, DQUOTE, BACKTICK, DOLLAR, MINUS, PLUS, SLASH, HASH, DOT]) CLASS[c] = C_SPECIAL;

function classOf(c: number): number {
  return c < 128 ? CLASS[c]! : C_START;
}

function isIdentChar(c: number): boolean {
  return c >= 128 || IDENT[c] === 1;
}

function isIdentStart(c: number): boolean {
  return c >= 128 || CLASS[c] === C_START;
}

/** First index at or after `j` that does not continue an identifier. */
function identEnd(sql: string, j: number, end: number): number {
  while (j < end) {
    const c = sql.charCodeAt(j);
    if (c < 128 && IDENT[c] === 0) return j;
    j++;
  }
  return end;
}

function isHexDigit(c: number): boolean {
  const l = c | 0x20;
  return isDigit(c) || (l >= 97 && l <= 102) || c === UNDERSCORE;
}

/** After one of these (or at the start) a `-`/`+` before a number is a sign, not an operator. */
function isOperatorBefore(c: number): boolean {
  return (
    c === 0 ||
    c === LPAREN ||
    c === COMMA ||
    c === EQ ||
    c === LT ||
    c === GT ||
    c === PLUS ||
    c === MINUS ||
    c === STAR ||
    c === SLASH ||
    c === PERCENT ||
    c === CARET ||
    c === PIPE ||
    c === AMP ||
    c === TILDE ||
    c === BANG ||
    c === SEMI
  );
}

/**
 * One scan of one statement. Kept text is copied as slices of the input between the
 * literals and comments that are replaced or dropped.
 */
class Scanner {
  out = '';
  /** Start of the input not yet copied to `out`. */
  copied = 0;
  /** Last significant char code seen (0 at the start): tells a sign from a minus. */
  prev = 0;
  droppedComment = false;

  constructor(
    readonly sql: string,
    readonly end: number,
    readonly mysql: boolean,
  ) {}

  /** Copies the input up to `at`, then appends `text`, and skips the input up to `resume`. */
  replace(at: number, text: string, resume: number): void {
    this.out += this.sql.slice(this.copied, at) + text;
    this.copied = resume;
  }

  /** Drops `[at, resume)`; a space keeps the neighbours apart when the comment was their only separator. */
  dropComment(at: number, resume: number): void {
    const sql = this.sql;
    let text = '';
    if (at > 0 && resume < this.end && !isSpace(sql.charCodeAt(at - 1)) && !isSpace(sql.charCodeAt(resume))) text = ' ';
    this.replace(at, text, resume);
    this.droppedComment = true;
  }

  /** End of a comment starting at `i`, or -1 when `i` starts none. */
  commentEnd(i: number): number {
    const sql = this.sql;
    const c = sql.charCodeAt(i);
    const n = i + 1 < this.end ? sql.charCodeAt(i + 1) : 0;
    if (c === MINUS && n === MINUS) {
      // MySQL needs whitespace (or the end) after `--`; `1--2` is arithmetic there.
      if (this.mysql && i + 2 < this.end && !isSpace(sql.charCodeAt(i + 2))) return -1;
      return this.lineEnd(i + 2);
    }
    if (c === HASH && this.mysql) return this.lineEnd(i + 1);
    if (c === SLASH && n === STAR) return this.blockCommentEnd(i + 2);
    return -1;
  }

  lineEnd(from: number): number {
    const sql = this.sql;
    for (let j = from; j < this.end; j++) {
      const c = sql.charCodeAt(j);
      if (c === LF || c === CR) return j;
    }
    return this.end;
  }

  /** PostgreSQL nests block comments; MySQL does not. Unterminated: to the end. */
  blockCommentEnd(from: number): number {
    const sql = this.sql;
    let depth = 1;
    let j = from;
    while (j < this.end) {
      const c = sql.charCodeAt(j);
      if (c === STAR && j + 1 < this.end && sql.charCodeAt(j + 1) === SLASH) {
        j += 2;
        if (--depth === 0) return j;
      } else if (c === SLASH && !this.mysql && j + 1 < this.end && sql.charCodeAt(j + 1) === STAR) {
        j += 2;
        depth++;
      } else {
        j++;
      }
    }
    return this.end;
  }

  /** End (after the closing quote) of a quoted run opened at `i`; -1 when it never closes. */
  quotedEnd(i: number, quote: number, backslashEscapes: boolean): number {
    const sql = this.sql;
    let j = i + 1;
    while (j < this.end) {
      const c = sql.charCodeAt(j);
      if (c === quote) {
        // A doubled quote is an escaped quote in every dialect.
        if (j + 1 < this.end && sql.charCodeAt(j + 1) === quote) {
          j += 2;
          continue;
        }
        return j + 1;
      }
      j += backslashEscapes && c === BACKSLASH ? 2 : 1;
    }
    return -1;
  }

  /** Length of the prefix (`E`, `X`, `B`, `N`, `U&`) of a string literal starting at `i`, or 0. */
  stringPrefix(i: number): number {
    const sql = this.sql;
    const l = sql.charCodeAt(i) | 0x20;
    const n = i + 1 < this.end ? sql.charCodeAt(i + 1) : 0;
    if (n === QUOTE && (l === 101 || l === 120 || l === 98 || l === 110)) return 1; // e x b n
    if (l === 117 && n === AMP && i + 2 < this.end && sql.charCodeAt(i + 2) === QUOTE) return 2; // u&
    return 0;
  }

  /** End of a string literal whose opening quote is at `q` (`escapes`: backslash escapes), or -1. */
  stringEnd(q: number, escapes: boolean): number {
    return this.quotedEnd(q, QUOTE, escapes || this.mysql);
  }

  /**
   * End of a PostgreSQL dollar-quoted string at `i` (`$$…$$`, `$tag$…$tag$`); -1 when `i`
   * opens none, NOT_CLOSED when the closing tag is missing.
   */
  dollarEnd(i: number): number {
    const sql = this.sql;
    let j = i + 1;
    if (j < this.end && !isIdentStart(sql.charCodeAt(j)) && sql.charCodeAt(j) !== DOLLAR) return -1;
    while (j < this.end && sql.charCodeAt(j) !== DOLLAR) {
      if (!isIdentChar(sql.charCodeAt(j))) return -1;
      j++;
    }
    if (j >= this.end) return -1;
    const tag = sql.slice(i, j + 1);
    const close = sql.indexOf(tag, j + 1);
    return close < 0 || close + tag.length > this.end ? NOT_CLOSED : close + tag.length;
  }

  /**
   * End of a numeric literal at `i`, or -1 when the digits start a MySQL identifier. Handles `1`, `1.5`, `.5`, `1e-3`, `0x1F`, `1_000`.
   */
  numberEnd(i: number): number {
    const sql = this.sql;
    const end = this.end;
    let j = i;
    let plain = true;
    const radix = j + 2 < end && sql.charCodeAt(j) === ZERO ? sql.charCodeAt(j + 1) | 0x20 : 0;
    if ((radix === 120 || radix === 98 || radix === 111) && isHexDigit(sql.charCodeAt(j + 2))) {
      // 0x1F, 0b0101, 0o17
      j += 2;
      while (j < end && isHexDigit(sql.charCodeAt(j))) j++;
    } else {
      while (j < end && (isDigit(sql.charCodeAt(j)) || sql.charCodeAt(j) === UNDERSCORE)) j++;
      if (j < end && sql.charCodeAt(j) === DOT) {
        plain = false;
        j++;
        while (j < end && isDigit(sql.charCodeAt(j))) j++;
      }
      if (j < end && (sql.charCodeAt(j) | 0x20) === 101) {
        let k = j + 1;
        if (k < end && (sql.charCodeAt(k) === PLUS || sql.charCodeAt(k) === MINUS)) k++;
        if (k < end && isDigit(sql.charCodeAt(k))) {
          plain = false;
          j = k;
          while (j < end && isDigit(sql.charCodeAt(j))) j++;
        }
      }
    }
    // MySQL identifiers may start with digits (`1abc`); PostgreSQL reads `1abc` as 1 AS abc.
    if (plain && this.mysql && j < end && isIdentChar(sql.charCodeAt(j))) return -1;
    return j;
  }

  /**
   * After the keyword IN: when `(` follows with only literals and placeholders inside,
   * the index after its `)`; otherwise -1 and the list is scanned as usual.
   */
  inListEnd(from: number): number {
    const sql = this.sql;
    const end = this.end;
    let j = this.skipSpace(from);
    if (j >= end || sql.charCodeAt(j) !== LPAREN) return -1;
    j++;
    for (;;) {
      j = this.skipSpace(j);
      if (j >= end) return -1;
      const e = this.literalEnd(j);
      if (e < 0) return -1;
      j = this.skipSpace(e);
      if (j >= end) return -1;
      const c = sql.charCodeAt(j);
      if (c === RPAREN) return j + 1;
      if (c !== COMMA) return -1;
      j++;
    }
  }

  skipSpace(j: number): number {
    while (j < this.end && isSpace(this.sql.charCodeAt(j))) j++;
    return j;
  }

  /** End of one literal or placeholder at `j` (for IN lists), or -1. */
  literalEnd(j: number): number {
    const sql = this.sql;
    const end = this.end;
    let c = sql.charCodeAt(j);
    if (c === QMARK) return j + 1;
    if (c === QUOTE) return this.stringEnd(j, false);
    if (c === DQUOTE && this.mysql) return this.quotedEnd(j, DQUOTE, true);
    if (c === DOLLAR && !this.mysql) {
      if (j + 1 < end && isDigit(sql.charCodeAt(j + 1))) {
        let k = j + 1;
        while (k < end && isDigit(sql.charCodeAt(k))) k++;
        return k;
      }
      const d = this.dollarEnd(j);
      return d < 0 ? -1 : d;
    }
    if (c === MINUS || c === PLUS) {
      j++;
      if (j >= end) return -1;
      c = sql.charCodeAt(j);
    }
    if (isDigit(c) || (c === DOT && j + 1 < end && isDigit(sql.charCodeAt(j + 1)))) return this.numberEnd(j);
    if (isIdentStart(c)) {
      const p = this.stringPrefix(j);
      if (p > 0) return this.stringEnd(j + p, p === 1 && (c | 0x20) === 101);
      let k = j + 1;
      while (k < end && isIdentChar(sql.charCodeAt(k))) k++;
      if (isWord(sql, j, k, 'null') || isWord(sql, j, k, 'true') || isWord(sql, j, k, 'false')) return k;
    }
    return -1;
  }
}

/** dollarEnd: a `$tag$` opened a string that never closes. */
const NOT_CLOSED = -2;

/** An unterminated literal or quoted name runs to the end of the scanned text. */
function orEnd(e: number, end: number): number {
  return e < 0 ? end : e;
}

/** True when `sql[from, to)` equals `lower` ignoring ASCII case. */
function isWord(sql: string, from: number, to: number, lower: string): boolean {
  if (to - from !== lower.length) return false;
  for (let k = 0; k < lower.length; k++) {
    if ((sql.charCodeAt(from + k) | 0x20) !== lower.charCodeAt(k)) return false;
  }
  return true;
}

/**
 * Replaces SQL literals by `?`, drops comments and collapses `IN (?, ?)` to `IN (?)`.
 * Quoted identifiers (`"t"`, MySQL `` `t` ``) and placeholders (`$1`, `?`) are kept; in
 * MySQL `"…"` is a string (the default sql_mode), so it becomes `?` there.
 * Never throws: for anything but a string it returns ''.
 */
export function sanitizeSql(sql: string, dialect: SqlDialect = 'postgresql', maxLength: number = SQL_MAX_LENGTH): string {
  if (typeof sql !== 'string') return '';
  const end = Math.min(sql.length, SQL_SCAN_LIMIT);
  const s = new Scanner(sql, end, dialect === 'mysql');
  try {
    scan(s, maxLength);
  } catch (err) {
    // Not expected; what was emitted so far is sanitized, so it is safe to return.
    diag.debug(`sql sanitizer: ${String(err)}`);
    return finish(s.out, true, maxLength, s.droppedComment);
  }
  let out = s.out;
  const cut = s.copied < end && out.length >= maxLength;
  if (!cut) out += sql.slice(s.copied, end);
  return finish(out, cut || end < sql.length, maxLength, s.droppedComment);
}

function finish(out: string, truncated: boolean, maxLength: number, trim: boolean): string {
  if (trim) out = out.trim();
  if (out.length > maxLength) {
    out = out.slice(0, maxLength);
    truncated = true;
  }
  if (!truncated) return out;
  // Never end on half a surrogate pair.
  const last = out.charCodeAt(out.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) out = out.slice(0, -1);
  return out + SQL_TRUNCATED;
}

function scan(s: Scanner, maxLength: number): void {
  const sql = s.sql;
  const end = s.end;
  const mysql = s.mysql;
  let i = 0;
  while (i < end) {
    const c = sql.charCodeAt(i);
    const cls = classOf(c);
    if (cls === C_SPACE) {
      i++;
      continue;
    }
    if (cls === C_OTHER) {
      s.prev = c;
      i++;
      continue;
    }
    if (s.out.length >= maxLength) return;
    if (cls === C_START) {
      const p = s.stringPrefix(i);
      if (p > 0) {
        const e = orEnd(s.stringEnd(i + p, p === 1 && (c | 0x20) === 101), end);
        s.replace(i, '?', e);
        s.prev = QMARK;
        i = e;
        continue;
      }
      const j = identEnd(sql, i + 1, end);
      if (j - i === 2 && isWord(sql, i, j, 'in')) {
        const e = s.inListEnd(j);
        if (e > 0) {
          s.replace(s.skipSpace(j), '(?)', e);
          s.prev = RPAREN;
          i = e;
          continue;
        }
      }
      s.prev = LETTER_MARK;
      i = j;
      continue;
    }
    if (cls === C_DIGIT || (c === DOT && i + 1 < end && isDigit(sql.charCodeAt(i + 1)))) {
      const e = s.numberEnd(i);
      if (e < 0) {
        // MySQL identifier starting with digits: keep it whole.
        s.prev = LETTER_MARK;
        i = identEnd(sql, i + 1, end);
        continue;
      }
      s.replace(i, '?', e);
      s.prev = QMARK;
      i = e;
      continue;
    }
    const ce = s.commentEnd(i);
    if (ce >= 0) {
      s.dropComment(i, ce);
      i = ce;
      continue;
    }
    if ((c === MINUS || c === PLUS) && isOperatorBefore(s.prev) && i + 1 < end) {
      const n = sql.charCodeAt(i + 1);
      if (isDigit(n) || (n === DOT && i + 2 < end && isDigit(sql.charCodeAt(i + 2)))) {
        const e = s.numberEnd(i + 1);
        if (e > 0) {
          s.replace(i, '?', e);
          s.prev = QMARK;
          i = e;
          continue;
        }
      }
    }
    if (c === QUOTE) {
      const e = orEnd(s.stringEnd(i, false), end);
      s.replace(i, '?', e);
      s.prev = QMARK;
      i = e;
      continue;
    }
    if (c === DQUOTE) {
      const e = orEnd(s.quotedEnd(i, DQUOTE, mysql), end);
      if (mysql) s.replace(i, '?', e);
      s.prev = mysql ? QMARK : LETTER_MARK;
      i = e;
      continue;
    }
    if (c === BACKTICK && mysql) {
      i = orEnd(s.quotedEnd(i, BACKTICK, false), end);
      s.prev = LETTER_MARK;
      continue;
    }
    if (c === DOLLAR && !mysql) {
      if (i + 1 < end && isDigit(sql.charCodeAt(i + 1))) {
        // $1 placeholder: kept, and its digits are not a literal.
        let j = i + 1;
        while (j < end && isDigit(sql.charCodeAt(j))) j++;
        s.prev = QMARK;
        i = j;
        continue;
      }
      const d = s.dollarEnd(i);
      if (d !== -1) {
        const e = orEnd(d, end);
        s.replace(i, '?', e);
        s.prev = QMARK;
        i = e;
        continue;
      }
    }
    s.prev = c;
    i++;
  }
}

/** Stands for "a word or quoted identifier came last" in `Scanner.prev`. */
const LETTER_MARK = 97;

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
  readonly s: Scanner;

  constructor(
    readonly sql: string,
    mysql: boolean,
  ) {
    this.end = Math.min(sql.length, SUMMARY_SCAN_LIMIT);
    // Literals and comments are skipped with the sanitizer's rules for the dialect.
    this.s = new Scanner(sql, this.end, mysql);
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
      if (cls === C_SPACE) {
        this.i = i + 1;
        continue;
      }
      if (cls === C_START) {
        const p = this.s.stringPrefix(i);
        if (p > 0) {
          this.i = orEnd(this.s.stringEnd(i + p, p === 1 && (c | 0x20) === 101), end);
          continue;
        }
        this.ws = i;
        this.we = this.i = identEnd(sql, i + 1, end);
        return true;
      }
      if (cls === C_DIGIT) {
        this.i = identEnd(sql, i + 1, end);
        continue;
      }
      if (cls === C_OTHER) {
        if (c === LPAREN) this.depth++;
        else if (c === RPAREN && this.depth > 0) this.depth--;
        this.i = i + 1;
        continue;
      }
      const ce = this.s.commentEnd(i);
      if (ce >= 0) {
        this.i = ce;
        continue;
      }
      if (c === QUOTE) this.i = orEnd(this.s.stringEnd(i, false), end);
      else if (c === DQUOTE || c === BACKTICK) this.i = orEnd(this.s.quotedEnd(i, c, this.s.mysql && c === DQUOTE), end);
      else if (c === DOLLAR) {
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
      if (c === DQUOTE || c === BACKTICK) {
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
      if (this.i < this.end && sql.charCodeAt(this.i) === DOT) {
        name += '.';
        this.i++;
        continue;
      }
      break;
    }
    if (name.length === 0 || name.charCodeAt(name.length - 1) === DOT) return undefined;
    if (notCall && this.i < this.end && sql.charCodeAt(this.i) === LPAREN) return undefined;
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

/** How `db.query.text` is recorded: `WAYMARK_DB_STATEMENT` (`sanitized`, the default, or `raw`). */
export type DbStatementMode = 'sanitized' | 'raw';

let statementMode: DbStatementMode | undefined;

/** The `WAYMARK_DB_STATEMENT` setting, read from the environment once per process. */
export function dbStatementMode(): DbStatementMode {
  if (statementMode !== undefined) return statementMode;
  let mode: DbStatementMode = 'sanitized';
  try {
    const raw = process.env.WAYMARK_DB_STATEMENT?.trim().toLowerCase();
    if (raw === 'raw') mode = 'raw';
    else if (raw !== undefined && raw !== '' && raw !== 'sanitized' && raw !== 'sanitize') {
      diag.warn(`invalid WAYMARK_DB_STATEMENT=${JSON.stringify(raw)}; using the default ("sanitized")`);
    }
  } catch {
    // process.env unavailable: keep the safe default.
  }
  statementMode = mode;
  return mode;
}

/** The `db.query.text` value for `sql`: sanitized, or as is when `WAYMARK_DB_STATEMENT=raw`. */
export function dbQueryText(sql: string, dialect: SqlDialect): string {
  return dbStatementMode() === 'raw' ? sql : sanitizeSql(sql, dialect);
}
