import type { TraceState } from '@opentelemetry/api';
import { isOws } from './chars';

/** Trace Context, "tracestate Header Field Values": at most 32 list-members. */
const MAX_MEMBERS = 32;
/** Trace Context, "tracestate Limits": vendors SHOULD propagate at least 512 characters. */
const MAX_HEADER_LENGTH = 512;
/** "tracestate Limits": entries longer than this are the first to go when truncating. */
const LARGE_MEMBER_LENGTH = 128;

/** lcalpha: a-z. */
function isLcAlpha(c: number): boolean {
  return c >= 0x61 && c <= 0x7a;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** keychar = lcalpha / DIGIT / "_" / "-" / "*" / "/" / "@". */
function isKeyChar(c: number): boolean {
  return isLcAlpha(c) || isDigit(c) || c === 0x5f || c === 0x2d || c === 0x2a || c === 0x2f || c === 0x40;
}

/**
 * Key grammar of W3C Trace Context Level 2 ("Key"):
 *   key     = ( lcalpha / DIGIT ) 0*255( keychar )   ; 1–256 chars in all
 *   keychar = lcalpha / DIGIT / "_" / "-" / "*" / "/" / "@"
 * Level 1's multi-tenant form (`tenant@system`, with its 241- and 14-character parts) is
 * gone: "@" is an ordinary key character after the first, so `foo@`, `foo@@bar` and
 * `t@vvvvvvvvvvvvvvv` are keys, and the 256-character limit counts the whole key.
 */
function isValidKey(s: string, start: number, end: number): boolean {
  const length = end - start;
  if (length === 0 || length > 256) return false;
  const first = s.charCodeAt(start);
  if (!isLcAlpha(first) && !isDigit(first)) return false;
  for (let i = start + 1; i < end; i++) {
    if (!isKeyChar(s.charCodeAt(i))) return false;
  }
  return true;
}

/**
 * Value grammar ("Value"): `0*255(chr) nblk-chr`, i.e. 1–256 printable ASCII chars
 * other than "," and "=", not ending in a space. An empty value is invalid; the test
 * suite discards `foo=,bar=3` as a whole.
 */
function isValidValue(s: string, start: number, end: number): boolean {
  const length = end - start;
  if (length < 1 || length > 256) return false;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x2c || c === 0x3d) return false;
  }
  return s.charCodeAt(end - 1) !== 0x20;
}

/** An immutable W3C tracestate: ordered, unique keys, at most 32 members. */
export class W3CTraceState implements TraceState {
  readonly #entries: ReadonlyMap<string, string>;
  #serialized: string | undefined;

  /** Takes ownership of `entries` (already validated, in header order). */
  constructor(entries: ReadonlyMap<string, string> = new Map()) {
    this.#entries = entries;
  }

  /** Number of list members. */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * A copy with `key` set and moved to the front, as "Mutating the tracestate Field"
   * requires for modified and new keys; the rightmost member is dropped if that would
   * exceed 32. An invalid key or value leaves the state unchanged, so the header we send
   * stays well-formed.
   */
  set(key: string, value: string): W3CTraceState {
    if (!isValidKey(key, 0, key.length) || !isValidValue(value, 0, value.length)) return this;
    const next = new Map<string, string>([[key, value]]);
    for (const [k, v] of this.#entries) {
      if (next.size === MAX_MEMBERS) break;
      if (k !== key) next.set(k, v);
    }
    return new W3CTraceState(next);
  }

  /** A copy without `key`. */
  unset(key: string): W3CTraceState {
    if (!this.#entries.has(key)) return this;
    const next = new Map(this.#entries);
    next.delete(key);
    return new W3CTraceState(next);
  }

  /** The value for `key`, if present. */
  get(key: string): string | undefined {
    return this.#entries.get(key);
  }

  /** The header value: `key=value` members joined by `,`, without optional whitespace. */
  serialize(): string {
    if (this.#serialized === undefined) {
      let out = '';
      for (const [k, v] of this.#entries) out += out.length === 0 ? `${k}=${v}` : `,${k}=${v}`;
      this.#serialized = out;
    }
    return this.#serialized;
  }
}

/**
 * Parses a combined tracestate header. Returns undefined when it holds no members or is
 * invalid as a whole: a malformed member or more than 32 members discard the entire
 * header, as the spec's official test suite expects (test/test.py
 * test_tracestate_member_count_limit / _key_illegal_characters / _value_illegal_characters).
 * A key seen again is not an error: the list is still inherited and the later duplicate
 * dropped ("Mutating the tracestate Field": vendors MAY discard duplicate keys; Level 2's
 * test_tracestate_duplicated_keys accepts keeping either one). The leftmost is kept, as
 * the most recently written. Empty and whitespace-only members are allowed and skipped
 * ("tracestate Header Field Values"); they do not count towards the 32.
 */
export function parseTraceState(header: string): W3CTraceState | undefined {
  const entries = new Map<string, string>();
  let members = 0;
  const n = header.length;
  let pos = 0;
  while (pos <= n) {
    let comma = header.indexOf(',', pos);
    if (comma === -1) comma = n;
    let start = pos;
    let end = comma;
    pos = comma + 1;
    // Spaces and tabs around a member are ignored ("tracestate Header Field Values").
    while (start < end && isOws(header.charCodeAt(start))) start++;
    while (end > start && isOws(header.charCodeAt(end - 1))) end--;
    if (start === end) continue;
    const eq = header.indexOf('=', start);
    if (eq === -1 || eq >= end) return undefined;
    if (!isValidKey(header, start, eq) || !isValidValue(header, eq + 1, end)) return undefined;
    if (++members > MAX_MEMBERS) return undefined;
    const key = header.slice(start, eq);
    if (!entries.has(key)) entries.set(key, header.slice(eq + 1, end));
  }
  return entries.size === 0 ? undefined : new W3CTraceState(entries);
}

/**
 * Fits a serialized tracestate into 512 characters by removing whole members ("tracestate Limits"):
 * members longer than 128 characters go first, then members from the end. Both passes
 * walk from the right so the leftmost (most recently written) entries survive.
 */
export function truncateTraceState(serialized: string): string {
  if (serialized.length <= MAX_HEADER_LENGTH) return serialized;
  const members = serialized.split(',');
  const kept = members.map(() => true);
  let length = serialized.length;
  for (let i = members.length - 1; i >= 0 && length > MAX_HEADER_LENGTH; i--) {
    if (members[i]!.length > LARGE_MEMBER_LENGTH) {
      kept[i] = false;
      length -= members[i]!.length + 1;
    }
  }
  for (let i = members.length - 1; i >= 0 && length > MAX_HEADER_LENGTH; i--) {
    if (kept[i]) {
      kept[i] = false;
      length -= members[i]!.length + 1;
    }
  }
  return members.filter((_, i) => kept[i]).join(',');
}
