import { ROOT_CONTEXT, startCall, type InstrumentationKit, type SpanCall } from '../../src/instrument';
import { deliveryOf, deliveryParent, type NatsMessage, type Source } from './delivery';
import { processSpec } from './recipe';

function spec(a: { source: Source; message: unknown }) {
  const d = deliveryOf(a);
  return d === undefined ? undefined : processSpec(d);
}

/** Starts the CONSUMER span of one delivered message, or undefined when it is not traced. */
export function startProcess(kit: InstrumentationKit, source: Source, message: unknown): SpanCall | undefined {
  const s = kit.safe(spec, { source, message });
  if (s === undefined) return undefined;
  const parent = kit.safe(deliveryParent, message as NatsMessage) ?? ROOT_CONTEXT;
  return startCall(kit, s, parent);
}
