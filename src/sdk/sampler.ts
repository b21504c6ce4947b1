import type { SamplerName } from '../config';
import type { TraceId } from '../span-context/ids';

/**
 * The spec's built-in samplers as one pure decision function: (parent's sampled flag, or
 * undefined for a root; trace id) → sampled?
 * Built-ins ignore name, kind and attributes, so the hot path does not build the
 * SamplingResult objects the API's Sampler interface would need.
 */
export type SampleDecision = (parentSampled: boolean | undefined, traceId: TraceId) => boolean;


/**
 * TraceIdRatioBased per the current spec (consistent probability sampling): compare the
 * rightmost 56 bits of the trace id (the W3C "random" part) with the rejection threshold
 * (1 - ratio) * 2^56, so every SDK following the spec reaches the same decision for the
 * same trace id and ratio, and a trace sampled at ratio r is sampled at any ratio ≥ r.
 * The 56 bits exceed a double's 53, so they are compared as the low 24 bits of the third
 * 32-bit word and the whole fourth word.
 */
export function traceIdRatio(ratio: number): SampleDecision {
  if (!(ratio > 0)) return () => false;
  if (ratio >= 1) return () => true;
  const threshold = BigInt(Math.round((1 - ratio) * 2 ** 56));
  const tHigh = Number(threshold >> 32n);
  const tLow = Number(threshold & 0xffffffffn);
  return (_parent, traceId) => {
    const rHigh = traceId.w2 & 0xffffff;
    const rLow = traceId.w3;
    return rHigh > tHigh || (rHigh === tHigh && rLow >= tLow);
  };
}

const alwaysOn: SampleDecision = () => true;
const alwaysOff: SampleDecision = () => false;

/** ParentBased: a valid parent's sampled flag decides; roots go to `root`. */
function parentBased(root: SampleDecision): SampleDecision {
  // Spec defaults: remote/local parent sampled → always_on, not sampled → always_off.
  return (parentSampled, traceId) => (parentSampled === undefined ? root(undefined, traceId) : parentSampled);
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
