import { getSpan, type Context, type Span } from '../../src/instrument';

/**
 * The spans of our publish, request and JetStream publish wrappers. A request publishes
 * through `publish`, a JetStream publish through `request`: the inner call sees the outer
 * span active and makes no span of its own; the protocol handler injects only the context
 * of one of these spans (never whatever span happens to be active, e.g. around the
 * library's own JetStream API calls).
 */
const SEND_SPANS = new WeakSet<Span>();

export function markSend(span: Span): void {
  SEND_SPANS.add(span);
}

/** True when the active span of `ctx` is one of ours of a send. */
export function insideSend(ctx: Context): boolean {
  const span = getSpan(ctx);
  return span !== undefined && SEND_SPANS.has(span);
}
