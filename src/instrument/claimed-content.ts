import type { InstrumentationKit } from './kit';

// An RPC protocol carried over HTTP (gRPC over HTTP/2) is traced by its own
// instrumentation, as RPC spans; an HTTP span of the same exchange would be the same call
// twice. The RPC instrumentation claims its content type here; HTTP instrumentations skip
// exchanges of a claimed type. Decided by the request's own headers, not by the active
// context: a transport often sends the request from a callback of its connection, outside
// the context of the call that queued it. A claim lapses when its instrumentation is
// disabled, so the HTTP spans come back rather than no span at all.

interface Claim {
  readonly kit: InstrumentationKit;
  /** Lower-case media-type prefix (`application/grpc` covers `application/grpc+proto`). */
  readonly prefix: string;
}

const claims: Claim[] = [];

/** Marks HTTP exchanges whose content type starts with `prefix` as traced by `kit`'s instrumentation. */
export function claimContentType(kit: InstrumentationKit, prefix: string): void {
  const lower = prefix.toLowerCase();
  for (const c of claims) if (c.kit === kit && c.prefix === lower) return;
  claims.push({ kit, prefix: lower });
}

/** True when an active instrumentation traces exchanges of this content type itself. */
export function isClaimedContentType(contentType: unknown): boolean {
  if (claims.length === 0 || typeof contentType !== 'string') return false;
  for (let i = 0; i < claims.length; i++) {
    const c = claims[i]!;
    if (!c.kit.active || contentType.length < c.prefix.length) continue;
    // Media types are case-insensitive (RFC 9110 §8.3.1); senders use lower case.
    const type = contentType.startsWith(c.prefix) ? contentType : contentType.toLowerCase();
    if (type.startsWith(c.prefix) && endsType(type.charCodeAt(c.prefix.length))) return true;
  }
  return false;
}

/** After the prefix: the end, a `+suffix` (`application/grpc+proto`) or parameters. */
function endsType(code: number): boolean {
  return Number.isNaN(code) || code === 43 /* + */ || code === 59 /* ; */ || code === 32 /* space */;
}
