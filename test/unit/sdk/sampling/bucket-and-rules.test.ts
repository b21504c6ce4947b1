import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../../../src/sdk/sampling/token-bucket';
import { compileRules, parseSamplingRules } from '../../../../src/sdk/sampling/rules';
import { probabilityDecision, thresholdHex } from '../../../../src/sdk/sampling/threshold';
import { createAgentSampler, createSampler } from '../../../../src/sdk/sampler';
import { TraceId } from '../../../../src/span-context/ids';

const T = (hex: string) => TraceId.fromHex(hex, 0x02);

describe('TokenBucket', () => {
  it('a burst at one instant gets exactly the tokens held; refills at the rate, capped at one second', () => {
    let t = 1000;
    const b = new TokenBucket(5, () => t);
    let n = 0;
    for (let i = 0; i < 100; i++) if (b.take()) n++;
    expect(n).toBe(5);
    t += 199; // 0.995 tokens: not yet one
    expect(b.take()).toBe(false);
    t += 1; // now one whole token
    expect(b.take()).toBe(true);
    expect(b.take()).toBe(false);
    t += 60_000; // capped at one second's worth
    n = 0;
    for (let i = 0; i < 100; i++) if (b.take()) n++;
    expect(n).toBe(5);
  });

  it('below one a second: holds one token, refills over 1/rate seconds', () => {
    let t = 0;
    const b = new TokenBucket(0.5, () => t);
    expect(b.take()).toBe(true);
    expect(b.take()).toBe(false);
    t += 1999;
    expect(b.take()).toBe(false);
    t += 1;
    expect(b.take()).toBe(true);
  });
});

describe('WAYMARK_SAMPLING_RATE_LIMIT (through createAgentSampler)', () => {
  it('a synchronous burst of 1000 roots samples exactly 5 at 5/s; children follow their parent', () => {
    const { sample } = createAgentSampler({ name: 'parentbased_always_on', arg: 1, rules: [], rateLimit: 5 }, 'svc');
    let n = 0;
    for (let i = 0; i < 1000; i++) if (sample(undefined, TraceId.random()) !== false) n++;
    expect(n).toBe(5);
    // The bucket is empty, yet spans under a sampled parent stay sampled and vice versa.
    expect(sample(true, TraceId.random())).toBe(true);
    expect(sample(false, TraceId.random())).toBe(false);
  });

  it('without rules, limit or jaeger_remote the spec sampler is used as it is', () => {
    const s = createAgentSampler({ name: 'parentbased_always_on', arg: 1, rules: [] }, 'svc').sample;
    expect(s.toString()).toBe(createSampler('parentbased_always_on', 1).toString());
    expect(s(undefined, TraceId.random())).toBe(true);
  });
});

describe('probability threshold (ot=th)', () => {
  it('encodes (1 - p) * 2^56 in hex without trailing zeros', () => {
    expect(thresholdHex(0n)).toBe('0');
    expect(thresholdHex(2n ** 55n)).toBe('8');
    expect(thresholdHex(3n * 2n ** 54n)).toBe('c');
    expect(probabilityDecision(1)(TraceId.random())).toBe('0');
    expect(probabilityDecision(0)(T('f'.repeat(32)))).toBe(false);
    expect(probabilityDecision(0.1)(T('f'.repeat(32)))).toBe('e6666666666666');
  });

  it('decides on the rightmost 56 bits: R >= T', () => {
    const half = probabilityDecision(0.5);
    expect(half(T('000000000000000000' + '80000000000000'))).toBe('8');
    expect(half(T('ffffffffffffffffff' + '7fffffffffffff'))).toBe(false);
  });
});

describe('WAYMARK_SAMPLING_RULES', () => {
  const example =
    '[{"path":"/health","sample":0},{"path":"/checkout","sample":1},{"method":"POST","rate":10},{"sample":0.1}]';

  it('parses the documented example without a problem', () => {
    const { rules, problems } = parseSamplingRules(example);
    expect(problems).toEqual([]);
    expect(rules).toHaveLength(4);
  });

  it('one problem line per bad rule; the bad rule is left out, the others kept', () => {
    const { rules, problems } = parseSamplingRules(
      JSON.stringify([
        { path: '/a', sample: 1 },
        'x',
        { path: '/b' },
        { path: '/c', sample: 1, rate: 2 },
        { path: '/d', sample: 1.5 },
        { path: '/e', rate: 0 },
        { route: '/f', sample: 1 },
        { path: '', sample: 1 },
        { method: 'GET', rate: 3 },
      ]),
    );
    expect(rules).toEqual([
      { path: '/a', sample: 1 },
      { method: 'GET', rate: 3 },
    ]);
    expect(problems).toHaveLength(7);
    expect(problems[0]).toMatch(/^rule 1 "x": not an object; rule ignored$/);
    expect(problems[1]).toMatch(/^rule 2 .*exactly one of "sample".*rule ignored$/);
    expect(problems[2]).toMatch(/^rule 3 /);
    expect(problems[3]).toMatch(/^rule 4 .*"sample" must be a number in \[0, 1\]/);
    expect(problems[4]).toMatch(/^rule 5 .*"rate" must be a number > 0/);
    expect(problems[5]).toMatch(/^rule 6 .*unknown key "route"/);
    expect(problems[6]).toMatch(/^rule 7 .*"path" must be a non-empty string/);
    expect(parseSamplingRules('{"path":"/x"}').problems).toEqual(['not a JSON array of rules; no rules apply']);
    expect(parseSamplingRules('[oops').problems).toHaveLength(1);
  });

  it('first match wins, by path (exact or prefix*), method (any case), and service', () => {
    const { rules } = parseSamplingRules(
      JSON.stringify([
        { path: '/health', sample: 0 },
        { path: '/checkout', sample: 1 },
        { path: '/api/*', method: 'get', sample: 0.5 },
        { service: 'other', sample: 1 },
        { method: 'POST', rate: 2 },
      ]),
    );
    const decide = compileRules(rules, 'svc')!;
    const any = () => TraceId.random();
    expect(decide(any(), { 'url.path': '/health', 'http.request.method': 'GET' })).toBe(false);
    expect(decide(any(), { 'url.path': '/checkout', 'http.request.method': 'POST' })).toBe('0');
    expect(decide(any(), { 'url.path': '/healthz' })).toBeUndefined();
    const high = T('000000000000000000' + 'ffffffffffffff');
    expect(decide(high, { 'url.path': '/api/users', 'http.request.method': 'GET' })).toBe('8');
    expect(decide(high, { 'url.path': '/api/users', 'http.request.method': 'PUT' })).toBeUndefined();
    // The rule for service "other" is dropped for "svc"; POST is rate-limited at 2 (bucket of 2).
    const posts = [1, 2, 3, 4].map(() => decide(any(), { 'url.path': '/x', 'http.request.method': 'POST' }));
    expect(posts).toEqual([true, true, false, false]);
    expect(decide(any(), undefined)).toBeUndefined();
    expect(compileRules([{ service: 'other', sample: 1 }], 'svc')).toBeUndefined();
    expect(compileRules([{ service: 'svc', sample: 1 }], 'svc')!(any(), undefined)).toBe('0');
  });

  it('rules decide roots only; an unmatched root goes to OTEL_TRACES_SAMPLER; the limit caps the rest', () => {
    const { rules } = parseSamplingRules(example);
    const { sample } = createAgentSampler({ name: 'parentbased_always_off', arg: 1, rules, rateLimit: 1 }, 'svc');
    expect(sample(undefined, TraceId.random(), 'GET', { 'url.path': '/health' })).toBe(false);
    // Sampled by probability 1, then passed by the limit: no threshold recorded.
    expect(sample(undefined, TraceId.random(), 'GET', { 'url.path': '/checkout' })).toBe(true);
    expect(sample(undefined, TraceId.random(), 'GET', { 'url.path': '/checkout' })).toBe(false); // limit spent
    expect(sample(true, TraceId.random(), 'GET', { 'url.path': '/health' })).toBe(true);
    expect(sample(false, TraceId.random(), 'GET', { 'url.path': '/checkout' })).toBe(false);
    const noLimit = createAgentSampler({ name: 'parentbased_always_off', arg: 1, rules: rules.slice(0, 2) }, 'svc').sample;
    expect(noLimit(undefined, TraceId.random(), 'GET', { 'url.path': '/checkout' })).toBe('0');
    expect(noLimit(undefined, TraceId.random(), 'GET', { 'url.path': '/other' })).toBe(false); // parentbased_always_off
  });
});
