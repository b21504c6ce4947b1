import type { Attributes } from '@opentelemetry/api';
import type { SamplerConfig, SamplerName } from '../config';
import type { TraceId } from '../span-context/ids';
import { compileRules, type RuleDecision } from './sampling/rules';
import { TokenBucket } from './sampling/token-bucket';
import { JaegerRemoteSampler } from './sampling/jaeger-remote';

/**
 * The spec's built-in samplers as one pure decision function: (parent's sampled flag, or
 * undefined for a root; trace id) → sampled?
 * Built-ins ignore name, kind and attributes, so the hot path does not build the
 * SamplingResult objects the API's Sampler interface would need.
 * The trace id carries the W3C Level 2 `random` flag (`traceId.randomFlag`): set for every
 * trace started here, and for a continued trace exactly when the caller set it.
 */
export type SampleDecision = (
  parentSampled: boolean | undefined,
  traceId: TraceId,
  name?: string,
  attributes?: Attributes,
) => SampleResult;

/**
 * Sampled or not; a string means sampled by a probability decision whose rejection
 * threshold (the `th` of tracestate's `ot` entry) the root records. Only the rules and
 * jaeger_remote samplers return one: traceidratio's behaviour is frozen (see below).
 */
export type SampleResult = boolean | string;

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

/** Builds the decision function named by OTEL_TRACES_SAMPLER / _ARG (the spec's built-ins). */
export function createSampler(name: SamplerName, arg: number): SampleDecision {
  switch (name) {
    case 'jaeger_remote':
    case 'parentbased_jaeger_remote':
      // Needs the poller: createAgentSampler builds it.
      return parentBased(traceIdRatio(arg));
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

/** The configured sampler, with what must be stopped at shutdown. */
export interface AgentSampler {
  sample: SampleDecision;
  stop(): void;
}

/**
 * OTEL_TRACES_SAMPLER (jaeger_remote included), then WAYMARK_SAMPLING_RULES and
 * WAYMARK_SAMPLING_RATE_LIMIT on top for roots. Without rules, limit or jaeger_remote the
 * spec's decision function is returned as it is, so those users pay nothing.
 */
export function createAgentSampler(config: SamplerConfig, serviceName: string): AgentSampler {
  let base = createSampler(config.name, config.arg);
  let stop = (): void => {};
  if (config.jaeger !== undefined && (config.name === 'jaeger_remote' || config.name === 'parentbased_jaeger_remote')) {
    const remote = new JaegerRemoteSampler({ ...config.jaeger, serviceName });
    const decide: SampleDecision = (_parent, traceId, name) => remote.decide(traceId, name ?? '');
    base = config.name === 'jaeger_remote' ? decide : (p, t, n, a) => (p === undefined ? decide(p, t, n, a) : p);
    remote.start();
    stop = () => remote.stop();
  }
  const rules = compileRules(config.rules, serviceName);
  const limit = config.rateLimit === undefined ? undefined : new TokenBucket(config.rateLimit);
  return { sample: withRootPolicy(base, rules, limit), stop };
}

/**
 * Rules and the rate limit decide roots only (no parent, local or remote): a trace is
 * decided once where it starts here, and its spans follow. A root no rule matches goes to
 * `base`. The limit caps whatever was sampled; a decision it passed records no threshold,
 * as the probability alone no longer describes it.
 */
export function withRootPolicy(base: SampleDecision, rules: RuleDecision | undefined, limit: TokenBucket | undefined): SampleDecision {
  if (rules === undefined && limit === undefined) return base;
  return (parentSampled, traceId, name, attributes) => {
    if (parentSampled !== undefined) return base(parentSampled, traceId, name, attributes);
    let d = rules === undefined ? undefined : rules(traceId, attributes);
    if (d === undefined) d = base(undefined, traceId, name, attributes);
    if (d === false || limit === undefined) return d;
    return limit.take();
  };
}
