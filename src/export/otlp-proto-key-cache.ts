import { Tag, fieldBytes } from './otlp-proto-wire';

/**
 * The OTLP encoder's caches of attribute keys and of span attributes' last values, with
 * their bounds. The measure pass decides hits and misses; the write pass copies from here.
 */

// Encoded KeyValue.key fields (tag, length, UTF-8), by key. Attribute keys repeat across
// spans (semantic-convention names), so a hit replaces a UTF-8 scan and a char loop with
// one lookup (measure pass) and a copy by 32-bit words (write pass, which finds the entry
// by the index the measure pass recorded). Bounded: once full, further keys are encoded
// every time; entries are never removed.
export const KEY_CACHE_MAX = 512;
const KEY_CACHE_MAX_CHARS = 128; // bounds the memory: at most 512 fields of <= 387 bytes
export interface CachedKey {
  /** The field's leading bytes as little-endian 32-bit words (written with one store each). */
  readonly words: Int32Array;
  /** The whole field; its last `length % 4` bytes follow the words. */
  readonly bytes: Uint8Array;
  /** Span attributes only: the value whose whole Span.attributes field `field` holds. */
  value: unknown;
  /** That field (tag, length, KeyValue), `fieldLength` bytes, as little-endian 32-bit words (the last one padded); allocated on first use. */
  field: Int32Array | undefined;
  fieldLength: number;
  /** Misses since the last hit: a key whose values keep changing stops being kept. */
  misses: number;
}

// Attribute values repeat too: a server sees a handful of methods, routes, hosts, status
// codes. For span attributes, each cached key also remembers its last value and that
// value's whole encoded field, so a repeat costs one comparison (measure) and one copy
// (write). The measure pass decides hit or miss and, on a miss, makes the new value the
// key's last value at once; the write pass, which visits fields in the same order, copies
// a miss's bytes into the entry right after writing them, so by the time any later hit is
// written its bytes are there. Fields longer than VALUE_FIELD_MAX are not kept.
export const VALUE_FIELD_MAX = 96; // < 130: the field's length prefix is one byte
// After this many misses in a row a key is taken for high-cardinality (a path with ids, a
// peer port) and its values are kept only once per 256 misses, in case that changed.
export const MISSES_BEFORE_GIVING_UP = 8;
export const NO_VALUE = Symbol('no value');

const keyIndex = new Map<string, number>();
export const keyList: CachedKey[] = [];
export const keyFieldLength = new Int32Array(KEY_CACHE_MAX);
// The last cached key seen at each attribute position, with its index: spans of one kind
// set the same keys in the same order, so most keys cost one string comparison (a pointer
// comparison for the interned constants instrumentations use) instead of a Map lookup.
const GUESSES = 32;
const guessKey: string[] = new Array<string>(GUESSES).fill('');
const guessIndex = new Int32Array(GUESSES).fill(-1);

export function forgetValues(): void {
  for (const entry of keyList) entry.value = NO_VALUE;
}

/** The key cache index of the `n`th attribute's key (added if there is room), or -1. */
export function cachedKeyIndex(key: string, n: number): number {
  if (n < GUESSES && guessKey[n] === key && guessIndex[n]! >= 0) return guessIndex[n]!;
  let index = keyIndex.get(key);
  if (index === undefined) {
    if (keyList.length >= KEY_CACHE_MAX || key.length > KEY_CACHE_MAX_CHARS) return -1;
    index = cacheKey(key);
  }
  if (n < GUESSES) {
    guessKey[n] = key;
    guessIndex[n] = index;
  }
  return index;
}

function cacheKey(key: string): number {
  // Own memory (not a slice of Buffer's shared pool), padded to whole words.
  const field = fieldBytes(Tag.KV_KEY, Buffer.from(key, 'utf8'));
  const bytes = new Uint8Array(field);
  const words = new Int32Array(field.length >>> 2);
  const fieldView = new DataView(bytes.buffer);
  for (let i = 0; i < words.length; i++) words[i] = fieldView.getInt32(i * 4, true);
  const index = keyList.length;
  keyList.push({ words, bytes, value: NO_VALUE, field: undefined, fieldLength: 0, misses: 0 });
  keyFieldLength[index] = bytes.length;
  keyIndex.set(key, index);
  return index;
}
