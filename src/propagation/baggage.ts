import {
  baggageEntryMetadataFromString,
  propagation,
  type BaggageEntry,
  type Context,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';
import { isTracingSuppressed } from '../suppress';
import { combinedValue } from './carrier';
import { isToken, trimOws } from './chars';

const BAGGAGE = 'baggage';
// W3C Baggage, "Limits". Valid members are ASCII, so string length equals byte length.
const MAX_MEMBERS = 180;
const MAX_MEMBER_BYTES = 4096;
const MAX_HEADER_BYTES = 8192;
const PERCENT = 0x25;

/**
 * baggage-octet = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E: printable ASCII except
 * space, DQUOTE, comma, semicolon and backslash (W3C Baggage, "Definition").
 */
function isBaggageOctet(c: number): boolean {
  return (
    c === 0x21 ||
    (c >= 0x23 && c <= 0x2b) ||
    (c >= 0x2d && c <= 0x3a) ||
    (c >= 0x3c && c <= 0x5b) ||
    (c >= 0x5d && c <= 0x7e)
  );
}

/** `value = *baggage-octet`: an empty value is allowed. */
function isBaggageValue(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (!isBaggageOctet(s.charCodeAt(i))) return false;
  return true;
}

/** Values are "URL encoded UTF-8" ("value"); undefined when the escapes are malformed. */
function decodeValue(raw: string): string | undefined {
  if (raw.indexOf('%') === -1) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

/**
 * Percent-encodes a value for the header. Values made only of baggage-octets (and no `%`)
 * go out unchanged; anything else is fully URI-component encoded, whose output is always
 * baggage-octets. Undefined for strings that cannot be encoded (lone surrogates).
 */
function encodeValue(value: string): string | undefined {
  let plain = true;
  for (let i = 0; i < value.length && plain; i++) {
    const c = value.charCodeAt(i);
    plain = c !== PERCENT && isBaggageOctet(c);
  }
  if (plain) return value;
  try {
    return encodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/**
 * Normalizes a property list (`k1=v1;k2`), trimming OWS around keys and values ("property").
 * Empty properties are skipped; undefined when any property is malformed.
 */
function normalizeProperties(parts: readonly string[], from: number): string | undefined {
  let out = '';
  for (let i = from; i < parts.length; i++) {
    const part = trimOws(parts[i]!);
    if (part.length === 0) continue;
    const eq = part.indexOf('=');
    let property: string;
    if (eq === -1) {
      if (!isToken(part)) return undefined;
      property = part;
    } else {
      const key = trimOws(part.slice(0, eq));
      const value = trimOws(part.slice(eq + 1));
      if (!isToken(key) || !isBaggageValue(value)) return undefined;
      property = `${key}=${value}`;
    }
    out = out.length === 0 ? property : `${out};${property}`;
  }
  return out;
}

/** One `key = value *(; property)` list-member, or undefined when it is malformed. */
function parseMember(member: string): [string, BaggageEntry] | undefined {
  const parts = member.split(';');
  const first = parts[0]!;
  const eq = first.indexOf('=');
  if (eq === -1) return undefined;
  const key = trimOws(first.slice(0, eq));
  const raw = trimOws(first.slice(eq + 1));
  if (!isToken(key) || !isBaggageValue(raw)) return undefined;
  const value = decodeValue(raw);
  if (value === undefined) return undefined;
  const properties = normalizeProperties(parts, 1);
  if (properties === undefined) return undefined;
  const entry: BaggageEntry =
    properties.length === 0 ? { value } : { value, metadata: baggageEntryMetadataFromString(properties) };
  return [key, entry];
}

/** W3C Baggage propagator for the `baggage` header, with entry properties kept as metadata. */
export class W3CBaggagePropagator implements TextMapPropagator {
  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    if (isTracingSuppressed(context)) return;
    const baggage = propagation.getBaggage(context);
    if (baggage === undefined) return;
    let header = '';
    let count = 0;
    for (const [key, entry] of baggage.getAllEntries()) {
      if (count === MAX_MEMBERS) break;
      // Keys are RFC 7230 tokens and are not encoded ("key"); others cannot be sent.
      if (!isToken(key) || typeof entry.value !== 'string') continue;
      const value = encodeValue(entry.value);
      if (value === undefined) continue;
      let member = `${key}=${value}`;
      const metadata = entry.metadata?.toString();
      if (metadata) {
        const properties = normalizeProperties(metadata.split(';'), 0);
        if (properties) member += `;${properties}`;
      }
      // Entries over the limits are dropped rather than truncated ("Mutating baggage").
      if (member.length > MAX_MEMBER_BYTES) continue;
      const separator = header.length === 0 ? 0 : 1;
      if (header.length + separator + member.length > MAX_HEADER_BYTES) continue;
      header = separator === 0 ? member : `${header},${member}`;
      count++;
    }
    if (header.length > 0) setter.set(carrier, BAGGAGE, header);
  }

  /**
   * Adds the header's entries to any baggage already in `context` (header entries win).
   * Malformed members are skipped, not fatal, since the spec lets receivers drop them;
   * members past 180, over 4096 bytes, or beyond 8192 header bytes are ignored.
   */
  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const header = combinedValue(getter, carrier, BAGGAGE);
    if (header === undefined) return context;
    const parsed: Array<[string, BaggageEntry]> = [];
    let bytes = 0;
    for (const piece of header.split(',')) {
      const member = trimOws(piece);
      if (member.length === 0 || member.length > MAX_MEMBER_BYTES) continue;
      if (parsed.length === MAX_MEMBERS || bytes + member.length > MAX_HEADER_BYTES) break;
      const entry = parseMember(member);
      if (entry === undefined) continue;
      parsed.push(entry);
      bytes += member.length + 1;
    }
    if (parsed.length === 0) return context;
    // A null-prototype record so a key such as `__proto__` stays an ordinary entry.
    const entries: Record<string, BaggageEntry> = Object.create(null);
    const existing = propagation.getBaggage(context);
    if (existing !== undefined) for (const [key, entry] of existing.getAllEntries()) entries[key] = entry;
    // Duplicate keys: the last one wins, one of the dedup rules "Mutating baggage" allows.
    for (const [key, entry] of parsed) entries[key] = entry;
    return propagation.setBaggage(context, propagation.createBaggage(entries));
  }

  fields(): string[] {
    return [BAGGAGE];
  }
}
