/**
 * Masks for diagnostic lines that show a configured URL or header: credentials never reach
 * stderr (a log collector keeps what it sees). The names stay readable, the secrets go.
 */

/** Stands in for a masked secret. */
export const MASK = '***';

/**
 * `text` (a URL, or what was meant as one: `user:pass@host:4318` without a scheme) with any
 * userinfo replaced by MASK and every query value masked.
 */
export function maskUrl(text: string): string {
  // Userinfo: everything before the last `@` of the authority (scheme optional).
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(text)?.[0] ?? '';
  const rest = text.slice(scheme.length);
  const authorityEnd = rest.search(/[/?#]/);
  const authority = authorityEnd < 0 ? rest : rest.slice(0, authorityEnd);
  const at = authority.lastIndexOf('@');
  let out = at < 0 ? text : scheme + MASK + rest.slice(at);
  const q = out.indexOf('?');
  if (q >= 0) out = out.slice(0, q + 1) + out.slice(q + 1).replace(/=[^&#]*/g, '=' + MASK);
  return out;
}

/** A `key=value` member of a header list as a diagnostic shows it: the key, never the value. */
export function maskHeaderMember(member: string): string {
  const eq = member.indexOf('=');
  return eq > 0 ? `${member.slice(0, eq).trim()}=${MASK}` : MASK;
}
