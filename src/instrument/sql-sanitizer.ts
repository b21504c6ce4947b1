import { diag } from '../diag';
import { Char, CharClass, SqlScanner, classOf, identEnd, isDigit, isOperatorBefore, isWord, orEnd, type SqlDialect } from './sql-lexer';

export type { SqlDialect } from './sql-lexer';

/**
 * SQL sanitizing for `db.query.text`: literals become `?`, comments go, `IN (…)` lists of
 * literals collapse to `IN (?)`, identifiers stay. One pass over char codes, no regular
 * expressions, bounded work and output, never throws.
 * https://opentelemetry.io/docs/specs/semconv/database/database-spans/#sanitization-of-dbquerytext
 */

/** Longest sanitized text returned (UTF-16 units, before the truncation marker). */
export const SQL_MAX_LENGTH = 4096;
/** Input beyond this many characters is not scanned (the output is marked truncated). */
export const SQL_SCAN_LIMIT = 65536;
/** Appended when the statement was cut. */
export const SQL_TRUNCATED = '...';

/**
 * Replaces SQL literals by `?`, drops comments and collapses `IN (?, ?)` to `IN (?)`.
 * Quoted identifiers (`"t"`, MySQL `` `t` ``) and placeholders (`$1`, `?`) are kept; in
 * MySQL `"…"` is a string (the default sql_mode), so it becomes `?` there.
 * Never throws: for anything but a string it returns ''.
 */
export function sanitizeSql(sql: string, dialect: SqlDialect = 'postgresql', maxLength: number = SQL_MAX_LENGTH): string {
  if (typeof sql !== 'string') return '';
  const end = Math.min(sql.length, SQL_SCAN_LIMIT);
  const s = new SqlScanner(sql, end, dialect === 'mysql');
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

function scan(s: SqlScanner, maxLength: number): void {
  const sql = s.sql;
  const end = s.end;
  const mysql = s.mysql;
  let i = 0;
  while (i < end) {
    const c = sql.charCodeAt(i);
    const cls = classOf(c);
    if (cls === CharClass.SPACE) {
      i++;
      continue;
    }
    if (cls === CharClass.OTHER) {
      s.prev = c;
      i++;
      continue;
    }
    if (s.out.length >= maxLength) return;
    if (cls === CharClass.START) {
      const p = s.stringPrefix(i);
      if (p > 0) {
        const e = orEnd(s.stringEnd(i + p, p === 1 && (c | 0x20) === 101), end);
        s.replace(i, '?', e);
        s.prev = Char.QMARK;
        i = e;
        continue;
      }
      const j = identEnd(sql, i + 1, end);
      if (j - i === 2 && isWord(sql, i, j, 'in')) {
        const e = s.inListEnd(j);
        if (e > 0) {
          s.replace(s.skipSpace(j), '(?)', e);
          s.prev = Char.RPAREN;
          i = e;
          continue;
        }
      }
      s.prev = LETTER_MARK;
      i = j;
      continue;
    }
    if (cls === CharClass.DIGIT || (c === Char.DOT && i + 1 < end && isDigit(sql.charCodeAt(i + 1)))) {
      const e = s.numberEnd(i);
      if (e < 0) {
        // MySQL identifier starting with digits: keep it whole.
        s.prev = LETTER_MARK;
        i = identEnd(sql, i + 1, end);
        continue;
      }
      s.replace(i, '?', e);
      s.prev = Char.QMARK;
      i = e;
      continue;
    }
    const ce = s.commentEnd(i);
    if (ce >= 0) {
      s.dropComment(i, ce);
      i = ce;
      continue;
    }
    if ((c === Char.MINUS || c === Char.PLUS) && isOperatorBefore(s.prev) && i + 1 < end) {
      const n = sql.charCodeAt(i + 1);
      if (isDigit(n) || (n === Char.DOT && i + 2 < end && isDigit(sql.charCodeAt(i + 2)))) {
        const e = s.numberEnd(i + 1);
        if (e > 0) {
          s.replace(i, '?', e);
          s.prev = Char.QMARK;
          i = e;
          continue;
        }
      }
    }
    if (c === Char.QUOTE) {
      const e = orEnd(s.stringEnd(i, false), end);
      s.replace(i, '?', e);
      s.prev = Char.QMARK;
      i = e;
      continue;
    }
    if (c === Char.DQUOTE) {
      const e = orEnd(s.quotedEnd(i, Char.DQUOTE, mysql), end);
      if (mysql) s.replace(i, '?', e);
      s.prev = mysql ? Char.QMARK : LETTER_MARK;
      i = e;
      continue;
    }
    if (c === Char.BACKTICK && mysql) {
      i = orEnd(s.quotedEnd(i, Char.BACKTICK, false), end);
      s.prev = LETTER_MARK;
      continue;
    }
    if (c === Char.DOLLAR && !mysql) {
      if (i + 1 < end && isDigit(sql.charCodeAt(i + 1))) {
        // $1 placeholder: kept, and its digits are not a literal.
        let j = i + 1;
        while (j < end && isDigit(sql.charCodeAt(j))) j++;
        s.prev = Char.QMARK;
        i = j;
        continue;
      }
      const d = s.dollarEnd(i);
      if (d !== -1) {
        const e = orEnd(d, end);
        s.replace(i, '?', e);
        s.prev = Char.QMARK;
        i = e;
        continue;
      }
    }
    s.prev = c;
    i++;
  }
}

/** Stands for "a word or quoted identifier came last" in `SqlScanner.prev`. */
const LETTER_MARK = 97;
