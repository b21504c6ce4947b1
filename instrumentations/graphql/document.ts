/**
 * `graphql.document` safe by default: an id in a query is as private as one in a WHERE
 * clause. String, block-string, int and float literals become `?`; names, variables (`$id`),
 * enum values, `true`/`false`/`null`, punctuation and directives stay; comments go; runs of
 * whitespace become one space. One pass over char codes, bounded work and output, never
 * throws; works on invalid documents too (a parse error's text is redacted the same way).
 * https://spec.graphql.org/October2021/#sec-Language.Source-Text
 */

/** Longest redacted text returned (UTF-16 units, before the truncation marker). */
export const DOCUMENT_MAX_LENGTH = 4096;
/** Input beyond this many characters is not scanned (the output is marked truncated). */
export const DOCUMENT_SCAN_LIMIT = 65536;
/** Appended when the document was cut. */
export const DOCUMENT_TRUNCATED = '...';

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const BOM = 0xfeff;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const HASH = 0x23;
const MINUS = 0x2d;
const DOT = 0x2e;
const PLUS = 0x2b;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isNameStart(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}

function isNameContinue(c: number): boolean {
  return isNameStart(c) || isDigit(c);
}

/** Replaces the literals of a GraphQL document by `?` (see the module comment). */
export function redactDocument(text: string, maxLength: number = DOCUMENT_MAX_LENGTH): string {
  if (typeof text !== 'string') return '';
  const end = Math.min(text.length, DOCUMENT_SCAN_LIMIT);
  let out = '';
  let space = false;
  let i = 0;
  while (i < end && out.length < maxLength) {
    const c = text.charCodeAt(i);
    if (c === SPACE || c === TAB || c === LF || c === CR || c === BOM) {
      space = true;
      i++;
      continue;
    }
    if (c === HASH) {
      // A comment runs to the end of its line; it may hold anything, so it goes.
      while (i < end && text.charCodeAt(i) !== LF && text.charCodeAt(i) !== CR) i++;
      space = true;
      continue;
    }
    let token: string;
    if (c === QUOTE) {
      i = text.charCodeAt(i + 1) === QUOTE && text.charCodeAt(i + 2) === QUOTE ? blockStringEnd(text, i + 3, end) : stringEnd(text, i + 1, end);
      token = '?';
    } else if (isDigit(c) || (c === MINUS && isDigit(text.charCodeAt(i + 1)))) {
      i = numberEnd(text, i, end);
      token = '?';
    } else if (isNameStart(c)) {
      const start = i;
      while (i < end && isNameContinue(text.charCodeAt(i))) i++;
      token = text.slice(start, i);
    } else {
      token = text[i]!;
      i++;
    }
    if (space && out.length > 0) out += ' ';
    space = false;
    out += token;
  }
  let truncated = i < text.length;
  if (out.length > maxLength) {
    out = out.slice(0, maxLength);
    truncated = true;
  }
  if (!truncated) return out;
  // Never end on half a surrogate pair.
  const last = out.charCodeAt(out.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) out = out.slice(0, -1);
  return out + DOCUMENT_TRUNCATED;
}

/** After a `"` string that starts at `i` (past its quote): escapes skipped; a line break or the end ends an unterminated one. */
function stringEnd(text: string, i: number, end: number): number {
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) i += 2;
    else if (c === QUOTE) return i + 1;
    else if (c === LF || c === CR) return i;
    else i++;
  }
  return end;
}

/** After a `"""` block string that starts at `i` (past its quotes): `\"""` does not close it. */
function blockStringEnd(text: string, i: number, end: number): number {
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH && text.startsWith('"""', i + 1)) i += 4;
    else if (c === QUOTE && text.charCodeAt(i + 1) === QUOTE && text.charCodeAt(i + 2) === QUOTE) return i + 3;
    else i++;
  }
  return end;
}

/** After an int or float literal starting at `i`: `-`? digits (`.` digits)? (`e` sign? digits)?. */
function numberEnd(text: string, i: number, end: number): number {
  if (text.charCodeAt(i) === MINUS) i++;
  while (i < end && isDigit(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) === DOT && isDigit(text.charCodeAt(i + 1))) {
    i++;
    while (i < end && isDigit(text.charCodeAt(i))) i++;
  }
  const e = text.charCodeAt(i);
  if (e === 0x65 || e === 0x45) {
    let j = i + 1;
    const sign = text.charCodeAt(j);
    if (sign === PLUS || sign === MINUS) j++;
    if (isDigit(text.charCodeAt(j))) {
      i = j;
      while (i < end && isDigit(text.charCodeAt(i))) i++;
    }
  }
  // A name glued to a number (`123abc`) is invalid GraphQL; its letters are part of the literal.
  while (i < end && isNameContinue(text.charCodeAt(i))) i++;
  return Math.min(i, end);
}
