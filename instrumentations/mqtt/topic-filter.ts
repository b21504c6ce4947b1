/**
 * MQTT topic filters (`+` one level, `#` the rest, section 4.7 of MQTT 3.1.1 and 5), used to
 * name a received message's span after the subscription it came through: the filter is the
 * low-cardinality template of the topics it receives.
 */

/** True when `topic` matches the topic filter `filter`. */
export function topicMatches(filter: string, topic: string): boolean {
  // `$SYS/…` topics are not matched by filters starting with a wildcard (4.7.2).
  if (topic.charCodeAt(0) === 36 /* $ */ && (filter.charCodeAt(0) === 43 /* + */ || filter.charCodeAt(0) === 35 /* # */)) return false;
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    const level = f[i];
    if (level === '#') return i === f.length - 1;
    if (i >= t.length) return false;
    if (level !== '+' && level !== t[i]) return false;
  }
  return f.length === t.length;
}

/** How many of a client's filters are tried per message (a client with more names by topic). */
export const MAX_FILTERS_TRIED = 64;

/**
 * The first of `filters` (a client's subscribed filters) that `topic` matches, preferring
 * the topic itself; undefined when none does (or there are too many to try).
 */
export function subscriptionOf(filters: readonly string[], topic: string): string | undefined {
  if (filters.length > MAX_FILTERS_TRIED) return undefined;
  if (filters.includes(topic)) return topic;
  for (const filter of filters) if (topicMatches(filter, topic)) return filter;
  return undefined;
}
