/**
 * The SQL lexer shared by the sanitizer and the summarizer: character classes, and a
 * scanner that finds where each comment, quoted run, string, dollar-quoted string and
 * number ends, with the rules of each dialect. Works on char codes, no regular expressions.
 */

/** Tokenizing rules that differ between servers. */
export type SqlDialect = 'postgresql' | 'mysql';

/** Character codes the lexer tests (a const enum: the compiler writes the numbers in place). */
export const enum Char {
  TAB = 9,
  LF = 10,
  CR = 13,
  SPACE = 32,
  BANG = 33,
  DQUOTE = 34,
  HASH = 35,
  DOLLAR = 36,
  PERCENT = 37,
  AMP = 38,
  QUOTE = 39,
  LPAREN = 40,
  RPAREN = 41,
  STAR = 42,
  PLUS = 43,
  COMMA = 44,
  MINUS = 45,
  DOT = 46,
  SLASH = 47,
  ZERO = 48,
  NINE = 57,
  SEMI = 59,
  LT = 60,
  EQ = 61,
  GT = 62,
  QMARK = 63,
  BACKSLASH = 92,
  CARET = 94,
  UNDERSCORE = 95,
  BACKTICK = 96,
  PIPE = 124,
  TILDE = 126,
}

export function isDigit(c: number): boolean {
  return c >= Char.ZERO && c <= Char.NINE;
}

function isLetter(c: number): boolean {
  const l = c | 0x20;
  return l >= 97 && l <= 122;
}

export function isSpace(c: number): boolean {
  return c === Char.SPACE || (c >= Char.TAB && c <= Char.CR);
}

// Character classes of ASCII codes, so the hot loops test one table entry per character.
export const enum CharClass {
  OTHER = 0, // punctuation kept as is: , ( ) = < > * ; ? …
  SPACE = 1,
  START = 2, // may start an identifier: letters, `_` (and every non-ASCII char)
  DIGIT = 3,
  SPECIAL = 4, // may start a literal or a comment: ' " ` $ - + / # .
}
const CLASS = new Uint8Array(128);
/** 1 for ASCII codes that may continue an unquoted identifier (`$` does in both dialects). */
const IDENT = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if (isLetter(c) || c === Char.UNDERSCORE) CLASS[c] = CharClass.START;
  else if (isDigit(c)) CLASS[c] = CharClass.DIGIT;
  else if (c === Char.SPACE || (c >= Char.TAB && c <= Char.CR)) CLASS[c] = CharClass.SPACE;
  IDENT[c] = isLetter(c) || isDigit(c) || c === Char.UNDERSCORE || c === Char.DOLLAR ? 1 : 0;
}
for (const c of [Char.QUOTE, Char.DQUOTE, Char.BACKTICK, Char.DOLLAR, Char.MINUS, Char.PLUS, Char.SLASH, Char.HASH, Char.DOT]) CLASS[c] = CharClass.SPECIAL;

export function classOf(c: number): number {
  return c < 128 ? CLASS[c]! : CharClass.START;
}

export function isIdentChar(c: number): boolean {
  return c >= 128 || IDENT[c] === 1;
}

export function isIdentStart(c: number): boolean {
  return c >= 128 || CLASS[c] === CharClass.START;
}

/** First index at or after `j` that does not continue an identifier. */
export function identEnd(sql: string, j: number, end: number): number {
  while (j < end) {
    const c = sql.charCodeAt(j);
    if (c < 128 && IDENT[c] === 0) return j;
    j++;
  }
  return end;
}

function isHexDigit(c: number): boolean {
  const l = c | 0x20;
  return isDigit(c) || (l >= 97 && l <= 102) || c === Char.UNDERSCORE;
}

/** After one of these (or at the start) a `-`/`+` before a number is a sign, not an operator. */
export function isOperatorBefore(c: number): boolean {
  return (
    c === 0 ||
    c === Char.LPAREN ||
    c === Char.COMMA ||
    c === Char.EQ ||
    c === Char.LT ||
    c === Char.GT ||
    c === Char.PLUS ||
    c === Char.MINUS ||
    c === Char.STAR ||
    c === Char.SLASH ||
    c === Char.PERCENT ||
    c === Char.CARET ||
    c === Char.PIPE ||
    c === Char.AMP ||
    c === Char.TILDE ||
    c === Char.BANG ||
    c === Char.SEMI
  );
}

/**
 * One scan of one statement. Kept text is copied as slices of the input between the
 * literals and comments that are replaced or dropped. The summarizer uses the same class
 * for its token rules (and leaves the output fields unused), so both see one object shape.
 */
export class SqlScanner {
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
    if (c === Char.MINUS && n === Char.MINUS) {
      // MySQL needs whitespace (or the end) after `--`; `1--2` is arithmetic there.
      if (this.mysql && i + 2 < this.end && !isSpace(sql.charCodeAt(i + 2))) return -1;
      return this.lineEnd(i + 2);
    }
    if (c === Char.HASH && this.mysql) return this.lineEnd(i + 1);
    if (c === Char.SLASH && n === Char.STAR) return this.blockCommentEnd(i + 2);
    return -1;
  }

  lineEnd(from: number): number {
    const sql = this.sql;
    for (let j = from; j < this.end; j++) {
      const c = sql.charCodeAt(j);
      if (c === Char.LF || c === Char.CR) return j;
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
      if (c === Char.STAR && j + 1 < this.end && sql.charCodeAt(j + 1) === Char.SLASH) {
        j += 2;
        if (--depth === 0) return j;
      } else if (c === Char.SLASH && !this.mysql && j + 1 < this.end && sql.charCodeAt(j + 1) === Char.STAR) {
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
      j += backslashEscapes && c === Char.BACKSLASH ? 2 : 1;
    }
    return -1;
  }

  /** Length of the prefix (`E`, `X`, `B`, `N`, `U&`) of a string literal starting at `i`, or 0. */
  stringPrefix(i: number): number {
    const sql = this.sql;
    const l = sql.charCodeAt(i) | 0x20;
    const n = i + 1 < this.end ? sql.charCodeAt(i + 1) : 0;
    if (n === Char.QUOTE && (l === 101 || l === 120 || l === 98 || l === 110)) return 1; // e x b n
    if (l === 117 && n === Char.AMP && i + 2 < this.end && sql.charCodeAt(i + 2) === Char.QUOTE) return 2; // u&
    return 0;
  }

  /** End of a string literal whose opening quote is at `q` (`escapes`: backslash escapes), or -1. */
  stringEnd(q: number, escapes: boolean): number {
    return this.quotedEnd(q, Char.QUOTE, escapes || this.mysql);
  }

  /**
   * End of a PostgreSQL dollar-quoted string at `i` (`$$…$$`, `$tag$…$tag$`); -1 when `i`
   * opens none, NOT_CLOSED when the closing tag is missing.
   */
  dollarEnd(i: number): number {
    const sql = this.sql;
    let j = i + 1;
    if (j < this.end && !isIdentStart(sql.charCodeAt(j)) && sql.charCodeAt(j) !== Char.DOLLAR) return -1;
    while (j < this.end && sql.charCodeAt(j) !== Char.DOLLAR) {
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
    const radix = j + 2 < end && sql.charCodeAt(j) === Char.ZERO ? sql.charCodeAt(j + 1) | 0x20 : 0;
    if ((radix === 120 || radix === 98 || radix === 111) && isHexDigit(sql.charCodeAt(j + 2))) {
      // 0x1F, 0b0101, 0o17
      j += 2;
      while (j < end && isHexDigit(sql.charCodeAt(j))) j++;
    } else {
      while (j < end && (isDigit(sql.charCodeAt(j)) || sql.charCodeAt(j) === Char.UNDERSCORE)) j++;
      if (j < end && sql.charCodeAt(j) === Char.DOT) {
        plain = false;
        j++;
        while (j < end && isDigit(sql.charCodeAt(j))) j++;
      }
      if (j < end && (sql.charCodeAt(j) | 0x20) === 101) {
        let k = j + 1;
        if (k < end && (sql.charCodeAt(k) === Char.PLUS || sql.charCodeAt(k) === Char.MINUS)) k++;
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
    if (j >= end || sql.charCodeAt(j) !== Char.LPAREN) return -1;
    j++;
    for (;;) {
      j = this.skipSpace(j);
      if (j >= end) return -1;
      const e = this.literalEnd(j);
      if (e < 0) return -1;
      j = this.skipSpace(e);
      if (j >= end) return -1;
      const c = sql.charCodeAt(j);
      if (c === Char.RPAREN) return j + 1;
      if (c !== Char.COMMA) return -1;
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
    if (c === Char.QMARK) return j + 1;
    if (c === Char.QUOTE) return this.stringEnd(j, false);
    if (c === Char.DQUOTE && this.mysql) return this.quotedEnd(j, Char.DQUOTE, true);
    if (c === Char.DOLLAR && !this.mysql) {
      if (j + 1 < end && isDigit(sql.charCodeAt(j + 1))) {
        let k = j + 1;
        while (k < end && isDigit(sql.charCodeAt(k))) k++;
        return k;
      }
      const d = this.dollarEnd(j);
      return d < 0 ? -1 : d;
    }
    if (c === Char.MINUS || c === Char.PLUS) {
      j++;
      if (j >= end) return -1;
      c = sql.charCodeAt(j);
    }
    if (isDigit(c) || (c === Char.DOT && j + 1 < end && isDigit(sql.charCodeAt(j + 1)))) return this.numberEnd(j);
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
export function orEnd(e: number, end: number): number {
  return e < 0 ? end : e;
}

/** True when `sql[from, to)` equals `lower` ignoring ASCII case. */
export function isWord(sql: string, from: number, to: number, lower: string): boolean {
  if (to - from !== lower.length) return false;
  for (let k = 0; k < lower.length; k++) {
    if ((sql.charCodeAt(from + k) | 0x20) !== lower.charCodeAt(k)) return false;
  }
  return true;
}
