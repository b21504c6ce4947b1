import type { SamplerName } from '../config';
import type { TraceId } from '../span-context/ids';

/**
 * The spec's built-in samplers as one pure decision function: (parent's sampled flag, or
 * undefined for a root; trace id) → sampled?
 * Built-ins ignore name, kind and attributes, so the hot path does not build the
 * SamplingResult objects the API's Sampler interface would need.
 * The trace id carries the W3C Level 2 `random` flag (`traceId.randomFlag`): set for every
 * trace started here, and for a continued trace exactly when the caller set it.
 */
export type SampleDecision = (parentSampled: boolean | undefined, traceId: TraceId) => boolean;

/**
 * TraceIdRatioBased per the current spec (consistent probability sampling): compare the
 * rightmost 56 bits of the trace id (the W3C "random" part) with the rejection threshold
 * (1 - ratio) * 2^56, so every SDK following the spec reaches the same decision for the
 * same trace id and ratio, and a trace sampled at ratio r is sampled at any ratio ≥ r.
 * The 56 bits exceed a double's 53, so they are compared as the low 24 bits of the third
 * 32-bit word and the whole fourth word.
 *
 * The OTel SDK spec freezes TraceIdRatioBased's behaviour until 2027 in favour of the
 * ProbabilitySampler, which makes this same R >= T decision and adds what this does not:
 * R from an explicit `ot=rv:` in tracestate when present, `ot=th:T` written into the
 * tracestate of a sampled span, and a warning when a child decision presumes randomness
 * that `traceId.randomFlag` does not confirm. Our roots always have the flag (ids from
 * the CSPRNG pool), so for parentbased_traceidratio the presumption never arises.
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
