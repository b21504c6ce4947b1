import { afterEach, describe, expect, it } from 'vitest';
import { readConfig } from '../../../../src/config';
import { setLogSink } from '../../../../src/diag';

function capture(env: Record<string, string>) {
  const lines: string[] = [];
  setLogSink((l) => lines.push(l));
  return { config: readConfig(env), lines };
}
afterEach(() => setLogSink((l) => process.stderr.write(l + '\n')));

describe('sampling settings in readConfig', () => {
  it('none set: no rules, no limit, no jaeger', () => {
    const { config, lines } = capture({});
    expect(lines).toEqual([]);
    expect(config.sampler).toEqual({ name: 'parentbased_always_on', arg: 1, jaeger: undefined, rules: [], rateLimit: undefined });
  });

  it('WAYMARK_SAMPLING_RULES: good rules kept in order, one line per bad rule', () => {
    const { config, lines } = capture({
      WAYMARK_SAMPLING_RULES: '[{"path":"/health","sample":0},{"path":"/x","sample":2},{"sample":0.1}]',
    });
    expect(config.sampler.rules).toEqual([{ path: '/health', sample: 0 }, { sample: 0.1 }]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/WAYMARK_SAMPLING_RULES: rule 1 .*rule ignored/);
  });

  it('WAYMARK_SAMPLING_RATE_LIMIT: a positive number, else one line and no limit', () => {
    expect(capture({ WAYMARK_SAMPLING_RATE_LIMIT: '2.5' }).config.sampler.rateLimit).toBe(2.5);
    const bad = capture({ WAYMARK_SAMPLING_RATE_LIMIT: '-1' });
    expect(bad.config.sampler.rateLimit).toBeUndefined();
    expect(bad.lines).toHaveLength(1);
    expect(bad.lines[0]).toContain('WAYMARK_SAMPLING_RATE_LIMIT');
  });

  it('jaeger_remote: the arg list with defaults; a bad part gets one line and its default', () => {
    const d = capture({ OTEL_TRACES_SAMPLER: 'jaeger_remote' });
    expect(d.config.sampler).toMatchObject({
      name: 'jaeger_remote',
      arg: 0.001,
      jaeger: { endpoint: 'http://localhost:5778/sampling', pollingIntervalMs: 60000, initialSamplingRate: 0.001 },
    });
    const { config, lines } = capture({
      OTEL_TRACES_SAMPLER: 'parentbased_jaeger_remote',
      OTEL_TRACES_SAMPLER_ARG: 'endpoint=http://jaeger:14268/api/sampling, pollingIntervalMs=5000,initialSamplingRate=0.25,bogus=1',
    });
    expect(config.sampler.jaeger).toEqual({ endpoint: 'http://jaeger:14268/api/sampling', pollingIntervalMs: 5000, initialSamplingRate: 0.25 });
    expect(config.sampler.arg).toBe(0.25);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('bogus=1');
    const bad = capture({ OTEL_TRACES_SAMPLER: 'jaeger_remote', OTEL_TRACES_SAMPLER_ARG: 'initialSamplingRate=3,pollingIntervalMs=x' });
    expect(bad.config.sampler.jaeger).toMatchObject({ initialSamplingRate: 0.001, pollingIntervalMs: 60000 });
    expect(bad.lines).toHaveLength(2);
  });
});
