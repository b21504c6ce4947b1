import type { Attributes } from '@opentelemetry/api';
import type { TraceId } from '../../span-context/ids';
import { probabilityDecision } from './threshold';
import { TokenBucket } from './token-bucket';

/**
 * One WAYMARK_SAMPLING_RULES entry. Matchers (all optional; a rule without any matches
 * every root): `path` (the request's url.path; exact, or a prefix when it ends in `*`),
 * `method` (http.request.method, any case), `service` (this process's service.name).
 * Exactly one action: `sample` (a probability in [0, 1]) or `rate` (at most this many
 * traces a second, > 0).
 */
export interface SamplingRule {
  path?: string;
  method?: string;
  service?: string;
  sample?: number;
  rate?: number;
}

const KEYS = new Set(['path', 'method', 'service', 'sample', 'rate']);
const MAX_RULES = 100;

/** Parses the JSON array; each bad rule is left out with one problem line naming it. */
export function parseSamplingRules(json: string): { rules: SamplingRule[]; problems: string[] } {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { rules: [], problems: ['not a JSON array of rules; no rules apply'] };
  }
  if (!Array.isArray(value)) return { rules: [], problems: ['not a JSON array of rules; no rules apply'] };
  const rules: SamplingRule[] = [];
  const problems: string[] = [];
  value.forEach((r: unknown, i) => {
    const why = ruleProblem(r);
    if (why !== undefined) problems.push(`rule ${i} ${JSON.stringify(r)?.slice(0, 200)}: ${why}; rule ignored`);
    else if (rules.length >= MAX_RULES) problems.push(`rule ${i}: more than ${MAX_RULES} rules; rule ignored`);
    else rules.push(r as SamplingRule);
  });
  return { rules, problems };
}

function ruleProblem(r: unknown): string | undefined {
  if (typeof r !== 'object' || r === null || Array.isArray(r)) return 'not an object';
  const o = r as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!KEYS.has(k)) return `unknown key "${k}" (known: path, method, service, sample, rate)`;
  for (const k of ['path', 'method', 'service']) {
    if (o[k] !== undefined && (typeof o[k] !== 'string' || o[k] === '')) return `"${k}" must be a non-empty string`;
  }
  const hasSample = o.sample !== undefined;
  const hasRate = o.rate !== undefined;
  if (hasSample === hasRate) return 'needs exactly one of "sample" (0..1) or "rate" (traces per second)';
  if (hasSample && !(typeof o.sample === 'number' && o.sample >= 0 && o.sample <= 1)) return '"sample" must be a number in [0, 1]';
  if (hasRate && !(typeof o.rate === 'number' && Number.isFinite(o.rate) && o.rate > 0)) return '"rate" must be a number > 0';
  return undefined;
}

/** A root decision: a `th` value or true when sampled, false when not, undefined when no rule matched. */
export type RuleDecision = (traceId: TraceId, attributes: Attributes | undefined) => string | boolean | undefined;

interface CompiledRule {
  path: string | undefined;
  prefix: boolean;
  method: string | undefined;
  decide: (traceId: TraceId) => string | boolean;
}

/**
 * Compiles the rules for this service (rules naming another service are dropped here, once).
 * Undefined when no rule is left, so roots cost nothing extra without rules.
 */
export function compileRules(rules: readonly SamplingRule[], serviceName: string): RuleDecision | undefined {
  const compiled: CompiledRule[] = [];
  for (const r of rules) {
    if (r.service !== undefined && r.service !== serviceName) continue;
    const prefix = r.path !== undefined && r.path.endsWith('*');
    let decide: (traceId: TraceId) => string | boolean;
    if (r.rate !== undefined) {
      const bucket = new TokenBucket(r.rate);
      decide = () => bucket.take();
    } else {
      decide = probabilityDecision(r.sample!);
    }
    compiled.push({ path: prefix ? r.path!.slice(0, -1) : r.path, prefix, method: r.method?.toUpperCase(), decide });
  }
  if (compiled.length === 0) return undefined;
  return (traceId, attributes) => {
    let path: unknown;
    let method: unknown;
    if (attributes != null) {
      path = attributes['url.path'];
      method = attributes['http.request.method'];
    }
    for (const r of compiled) {
      if (r.path !== undefined) {
        if (typeof path !== 'string') continue;
        if (r.prefix ? !path.startsWith(r.path) : path !== r.path) continue;
      }
      if (r.method !== undefined && (typeof method !== 'string' || method.toUpperCase() !== r.method)) continue;
      return r.decide(traceId);
    }
    return undefined;
  };
}
