import type { TraceId } from '../../span-context/ids';
import { probabilityDecision, type ProbabilityDecision } from './threshold';
import { TokenBucket } from './token-bucket';

/** A decision for one span: a `th` value or true when sampled, false when not. */
export type StrategyDecision = (traceId: TraceId, operation: string) => string | boolean;

// Jaeger clients keep at most this many per-operation samplers; later operations share the default.
const MAX_OPERATIONS = 2000;

/**
 * Builds the decision for a Jaeger sampling strategy response (the JSON of
 * `GET /sampling?service=…`, api_v2 SamplingStrategyResponse): `operationSampling`
 * (per-operation probabilities with a lower bound in traces per second) takes precedence,
 * then `strategyType` PROBABILISTIC (0) or RATE_LIMITING (1). A string is a problem.
 */
export function strategyDecision(body: unknown): StrategyDecision | string {
  if (typeof body !== 'object' || body === null) return 'not a JSON object';
  const o = body as Record<string, unknown>;
  const ops = o.operationSampling;
  if (typeof ops === 'object' && ops !== null) return perOperation(ops as Record<string, unknown>);
  const type = o.strategyType ?? 'PROBABILISTIC';
  if (type === 'PROBABILISTIC' || type === 0) {
    const p = probability((o.probabilisticSampling as Record<string, unknown> | undefined)?.samplingRate);
    if (p === undefined) return 'probabilisticSampling.samplingRate is not a number in [0, 1]';
    const decide = probabilityDecision(p);
    return (traceId) => decide(traceId);
  }
  if (type === 'RATE_LIMITING' || type === 1) {
    const n = (o.rateLimitingSampling as Record<string, unknown> | undefined)?.maxTracesPerSecond;
    if (typeof n !== 'number' || !(n >= 0)) return 'rateLimitingSampling.maxTracesPerSecond is not a number ≥ 0';
    if (n === 0) return () => false;
    const bucket = new TokenBucket(n);
    return () => bucket.take();
  }
  return `unknown strategyType ${JSON.stringify(type)}`;
}

function probability(v: unknown): number | undefined {
  return typeof v === 'number' && v >= 0 && v <= 1 ? v : undefined;
}

/**
 * Jaeger's "guaranteed throughput" sampler per operation: the probability decides, and
 * the lower bound (traces a second) samples what the probability left out while it has
 * tokens; a probability hit also spends a token, so the bound is not counted twice. A
 * decision through the lower bound records no `th`: it is not a probability decision.
 */
function perOperation(ops: Record<string, unknown>): StrategyDecision | string {
  const defaultP = probability(ops.defaultSamplingProbability);
  if (defaultP === undefined) return 'operationSampling.defaultSamplingProbability is not a number in [0, 1]';
  const lb = ops.defaultLowerBoundTracesPerSecond;
  const lowerBound = typeof lb === 'number' && lb > 0 ? lb : 0;
  const byOperation = new Map<string, StrategyDecision>();
  const list = Array.isArray(ops.perOperationStrategies) ? ops.perOperationStrategies : [];
  for (const s of list.slice(0, MAX_OPERATIONS)) {
    if (typeof s !== 'object' || s === null) continue;
    const name = (s as Record<string, unknown>).operation;
    const p = probability(((s as Record<string, unknown>).probabilisticSampling as Record<string, unknown> | undefined)?.samplingRate);
    if (typeof name === 'string' && p !== undefined) byOperation.set(name, guaranteed(probabilityDecision(p), lowerBound));
  }
  const shared = guaranteed(probabilityDecision(defaultP), lowerBound);
  return (traceId, operation) => {
    let d = byOperation.get(operation);
    if (d === undefined) {
      // Each operation gets its own lower bound, as in Jaeger's clients, up to the cap.
      if (byOperation.size >= MAX_OPERATIONS || lowerBound === 0) return shared(traceId, operation);
      d = guaranteed(probabilityDecision(defaultP), lowerBound);
      byOperation.set(operation, d);
    }
    return d(traceId, operation);
  };
}

function guaranteed(p: ProbabilityDecision, lowerBound: number): StrategyDecision {
  if (lowerBound === 0) return (traceId) => p(traceId);
  const bucket = new TokenBucket(lowerBound);
  return (traceId) => {
    const d = p(traceId);
    const token = bucket.take();
    return d !== false ? d : token;
  };
}
