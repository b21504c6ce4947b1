import type { SpanContext } from '@opentelemetry/api';
import type { SamplerName } from '../config';

/**
 * The spec's built-in samplers as one pure decision function: (parent, traceId) → sampled?
 * Built-ins ignore name, kind and attributes, so the hot path does not build the
 * SamplingResult objects the API's Sampler interface would need.
 */
export type SampleDecision = (parent: SpanContext | undefined, traceId: string) => boolean;

const TWO_POW_28 = 2 ** 28;

/**
 * TraceIdRatioBased per the current spec (consistent probability sampling): compare the
 * rightmost 56 bits of the trace id (the W3C "random" part) with the rejection threshold
 * (1 - ratio) * 2^56, so every SDK following the spec reaches the same decision for the
 * same trace id and ratio, and a trace sampled at ratio r is sampled at any ratio ≥ r.
 * The 56 bits are compared as two 28-bit halves because they exceed a double's 53.
 */
export function traceIdRatio(ratio: number): SampleDecision {
  if (!(ratio > 0)) return () => false;
  if (ratio >= 1) return () => true;
  const threshold = BigInt(Math.round((1 - ratio) * 2 ** 56));
  const tHigh = Number(threshold >> 28n);
  const tLow = Number(threshold & BigInt(TWO_POW_28 - 1));
  return (_parent, traceId) => {
    // Rightmost 56 bits = the last 14 hex digits; split 7 + 7 (28 bits each).
    const rHigh = parseInt(traceId.slice(18, 25), 16);
    const rLow = parseInt(traceId.slice(25, 32), 16);
    return rHigh > tHigh || (rHigh === tHigh && rLow >= tLow);
  };
}

const alwaysOn: SampleDecision = () => true;
const alwaysOff: SampleDecision = () => false;

/** ParentBased: a valid parent's sampled flag decides; roots go to `root`. */
function parentBased(root: SampleDecision): SampleDecision {
  return (parent, traceId) => {
    if (parent === undefined) return root(parent, traceId);
    // Spec defaults: remote/local parent sampled → always_on, not sampled → always_off.
    return (parent.traceFlags & 1) === 1;
  };
}

/** Builds the decision function named by OTEL_TRACES_SAMPLER / _ARG. */
export function createSampler(name: SamplerName, arg: number): SampleDecision {
  switch (name) {
    case 'always_on':
      return alwaysOn;
    case 'always_off':
      return alwaysOff;
    case 'traceidratio':
      return traceIdRatio(arg);
    case 'parentbased_always_off':
      return parentBased(alwaysOff);
    case 'parentbased_traceidratio':
      return parentBased(traceIdRatio(arg));
    case 'parentbased_always_on':
    default:
      return parentBased(alwaysOn);
  }
}
