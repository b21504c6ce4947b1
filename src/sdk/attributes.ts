import type { AttributeValue, Attributes } from '@opentelemetry/api';

/**
 * Attribute validation and limits (OTel spec "Attribute Limits"): values are primitives or
 * homogeneous arrays of primitives; strings longer than the length limit are truncated;
 * past the count limit new keys are dropped (and counted) while existing keys still update.
 */

function isPrimitive(v: unknown): boolean {
  const t = typeof v;
  return t === 'string' || t === 'number' || t === 'boolean';
}

/** True when `v` is a valid attribute value (arrays may hold null/undefined). */
export function isAttributeValue(v: unknown): v is AttributeValue {
  if (v == null) return false;
  if (!Array.isArray(v)) return isPrimitive(v);
  let type: string | undefined;
  for (const e of v) {
    if (e == null) continue;
    if (!isPrimitive(e)) return false;
    if (type === undefined) type = typeof e;
    else if (typeof e !== type) return false;
  }
  return true;
}

/** Applies the value-length limit to strings, including inside arrays. */
export function truncateValue(v: AttributeValue, limit: number): AttributeValue {
  if (typeof v === 'string') return v.length > limit ? v.slice(0, limit) : v;
  if (Array.isArray(v) && limit !== Infinity) {
    let changed = false;
    const out = v.map((e) => {
      if (typeof e === 'string' && e.length > limit) {
        changed = true;
        return e.slice(0, limit);
      }
      return e;
    });
    return changed ? (out as AttributeValue) : v;
  }
  return v;
}

/**
 * Copies valid attributes into a fresh bag under the limits; returns the bag and how many
 * were dropped. Used for events and links, whose attributes are set once.
 */
export function limitedAttributes(
  attrs: Attributes | undefined,
  countLimit: number,
  lengthLimit: number,
): { attributes: Attributes | undefined; dropped: number } {
  if (attrs === undefined) return { attributes: undefined, dropped: 0 };
  const out: Attributes = {};
  let n = 0;
  let dropped = 0;
  for (const key in attrs) {
    const v = attrs[key];
    if (!isAttributeValue(v) || key === '') continue;
    if (n >= countLimit) {
      dropped++;
      continue;
    }
    out[key] = truncateValue(v, lengthLimit);
    n++;
  }
  return { attributes: out, dropped };
}
