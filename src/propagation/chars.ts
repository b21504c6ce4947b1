/**
 * Character-class checks shared by the header parsers. They work on char codes so the
 * hot paths (traceparent, tracestate) validate without regexes or substrings.
 */

/** Lowercase hex digit value by char code, -1 for anything else (uppercase included). */
const LOWER_HEX = new Int8Array(128).fill(-1);
for (let c = 0; c < 10; c++) LOWER_HEX[0x30 + c] = c;
for (let c = 0; c < 6; c++) LOWER_HEX[0x61 + c] = 10 + c;

/** Value of a lowercase hex digit, or -1 when `code` is not one. */
export function lowerHexValue(code: number): number {
  return code < 128 ? LOWER_HEX[code]! : -1;
}

/**
 * True when s[start, end) is non-empty lowercase hex and not all zeros; both W3C and B3
 * treat an all-zero id as invalid.
 */
export function isNonZeroLowerHex(s: string, start: number, end: number): boolean {
  if (end <= start) return false;
  let any = 0;
  for (let i = start; i < end; i++) {
    const v = lowerHexValue(s.charCodeAt(i));
    if (v < 0) return false;
    any |= v;
  }
  return any !== 0;
}

/**
 * The 32-bit word spelled by the 8 lowercase hex digits at s[at, at + 8), or -1 when one
 * of them is not a lowercase hex digit (validating and converting in one pass).
 */
export function lowerHexWord(s: string, at: number): number {
  let w = 0;
  for (let i = at; i < at + 8; i++) {
    const v = lowerHexValue(s.charCodeAt(i));
    if (v < 0) return -1;
    w = w * 16 + v;
  }
  return w;
}

/** Two-digit lowercase hex for every byte, so formatting trace flags never calls toString. */
export const BYTE_HEX: readonly string[] = Array.from({ length: 256 }, (_, i) =>
  i.toString(16).padStart(2, '0'),
);

/** Space or horizontal tab: the OWS of RFC 7230 §3.2.3. */
export function isOws(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

/** `s` without leading and trailing OWS; returns `s` itself when there is none. */
export function trimOws(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isOws(s.charCodeAt(start))) start++;
  while (end > start && isOws(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/** RFC 7230 §3.2.6 tchar lookup: the characters allowed in a header-field token. */
const TCHAR = new Uint8Array(128);
for (const ch of "!#$%&'*+-.^_`|~") TCHAR[ch.charCodeAt(0)] = 1;
for (let c = 0x30; c <= 0x39; c++) TCHAR[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) TCHAR[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TCHAR[c] = 1;

/** True when `s` is a non-empty RFC 7230 token (baggage keys, header names). */
export function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || TCHAR[c] === 0) return false;
  }
  return true;
}
