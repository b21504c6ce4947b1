import { afterEach, describe, expect, it } from 'vitest';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { strategyDecision } from '../../../../src/sdk/sampling/jaeger-strategy';
import { JaegerRemoteSampler } from '../../../../src/sdk/sampling/jaeger-remote';
import { setLogSink } from '../../../../src/diag';
import { TraceId } from '../../../../src/span-context/ids';
import { closedPort } from '../../../helpers/closed-port';

const T = (hex: string) => TraceId.fromHex(hex, 0x02);
const HIGH = T('000000000000000000' + 'ffffffffffffff'); // sampled at any p > 0
const LOW = T('000000000000000000' + '00000000000001'); // sampled only at p = 1

describe('Jaeger strategy responses', () => {
  it('probabilistic (string or numeric strategyType) records the threshold', () => {
    for (const strategyType of ['PROBABILISTIC', 0]) {
      const d = strategyDecision({ strategyType, probabilisticSampling: { samplingRate: 0.5 } });
      if (typeof d === 'string') throw new Error(d);
      expect(d(HIGH, 'op')).toBe('8');
      expect(d(LOW, 'op')).toBe(false);
    }
  });

  it('rate limiting: at most maxTracesPerSecond, no threshold', () => {
    const d = strategyDecision({ strategyType: 'RATE_LIMITING', rateLimitingSampling: { maxTracesPerSecond: 3 } });
    if (typeof d === 'string') throw new Error(d);
    const got = Array.from({ length: 10 }, () => d(HIGH, 'op'));
    expect(got.filter((x) => x === true)).toHaveLength(3);
    expect(got.filter((x) => x === false)).toHaveLength(7);
  });

  it('per operation: each listed operation its probability, others the default, with the lower bound', () => {
    const d = strategyDecision({
      strategyType: 'PROBABILISTIC',
      probabilisticSampling: { samplingRate: 1 },
      operationSampling: {
        defaultSamplingProbability: 0,
        defaultLowerBoundTracesPerSecond: 2,
        perOperationStrategies: [{ operation: 'GET /checkout', probabilisticSampling: { samplingRate: 1 } }],
      },
    });
    if (typeof d === 'string') throw new Error(d);
    expect(Array.from({ length: 5 }, () => d(LOW, 'GET /checkout'))).toEqual(['0', '0', '0', '0', '0']);
    // Probability 0, but the lower bound lets 2 through, per operation.
    expect(Array.from({ length: 4 }, () => d(HIGH, 'GET /a'))).toEqual([true, true, false, false]);
    expect(Array.from({ length: 3 }, () => d(HIGH, 'GET /b'))).toEqual([true, true, false]);
  });

  it('names what is wrong with an unusable answer', () => {
    expect(strategyDecision(null)).toBe('not a JSON object');
    expect(strategyDecision({ strategyType: 'PROBABILISTIC', probabilisticSampling: { samplingRate: 2 } })).toMatch(/samplingRate/);
    expect(strategyDecision({ strategyType: 'RATE_LIMITING' })).toMatch(/maxTracesPerSecond/);
    expect(strategyDecision({ strategyType: 'ADAPTIVE' })).toMatch(/unknown strategyType/);
    expect(strategyDecision({ operationSampling: {} })).toMatch(/defaultSamplingProbability/);
  });
});

describe('JaegerRemoteSampler against a local sampling endpoint', () => {
  let server: http.Server | undefined;
  let sampler: JaegerRemoteSampler | undefined;
  afterEach(async () => {
    sampler?.stop();
    setLogSink((l) => process.stderr.write(l + '\n'));
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    server = undefined;
  });

  it('initial rate first, then the served strategy; a failing endpoint keeps it with one line; recovery is noted', async () => {
    const seen: string[] = [];
    let reply: { status: number; body: string } = { status: 200, body: JSON.stringify({ strategyType: 'PROBABILISTIC', probabilisticSampling: { samplingRate: 1 } }) };
    server = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers['content-length'] ?? '-'}`);
      res.statusCode = reply.status;
      res.end(reply.body);
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const lines: string[] = [];
    setLogSink((l) => lines.push(l));
    sampler = new JaegerRemoteSampler({
      endpoint: `http://127.0.0.1:${port}/sampling`,
      pollingIntervalMs: 60_000,
      initialSamplingRate: 0,
      serviceName: 'shop api',
    });
    expect(sampler.decide(LOW, 'op')).toBe(false); // the initial rate
    await sampler.poll();
    expect(seen).toEqual(['GET /sampling?service=shop+api -']);
    expect(sampler.decide(LOW, 'op')).toBe('0');

    reply = { status: 500, body: 'down' };
    await sampler.poll();
    await sampler.poll();
    expect(sampler.decide(LOW, 'op')).toBe('0'); // the last good strategy stays
    reply = { status: 200, body: '{"strategyType":"NOPE"}' };
    await sampler.poll();
    expect(sampler.decide(LOW, 'op')).toBe('0');
    const warns = lines.filter((l) => l.includes('cannot get the sampling strategy'));
    expect(warns).toHaveLength(1);
    expect(warns[0]).toContain('HTTP 500');
    expect(warns[0]).toContain('keeping the last strategy');

    reply = { status: 200, body: JSON.stringify({ strategyType: 'RATE_LIMITING', rateLimitingSampling: { maxTracesPerSecond: 1 } }) };
    await sampler.poll();
    expect(lines.filter((l) => l.includes('answers again'))).toHaveLength(1);
    expect([sampler.decide(LOW, 'op'), sampler.decide(LOW, 'op')]).toEqual([true, false]);
  });

  it('a dead endpoint: the initial rate decides, one line', async () => {
    const lines: string[] = [];
    setLogSink((l) => lines.push(l));
    const port = await closedPort();
    sampler = new JaegerRemoteSampler({ endpoint: `http://127.0.0.1:${port}/sampling`, pollingIntervalMs: 60_000, initialSamplingRate: 1, serviceName: 's' });
    await sampler.poll();
    await sampler.poll();
    expect(sampler.decide(LOW, 'op')).toBe('0');
    expect(lines.filter((l) => l.includes('keeping the initial sampling rate'))).toHaveLength(1);
  });

  it('start() polls at once on an unreferenced timer', async () => {
    let hits = 0;
    server = http.createServer((_req, res) => {
      hits++;
      res.end(JSON.stringify({ strategyType: 'PROBABILISTIC', probabilisticSampling: { samplingRate: 1 } }));
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    sampler = new JaegerRemoteSampler({ endpoint: `http://127.0.0.1:${port}/sampling`, pollingIntervalMs: 30, initialSamplingRate: 0, serviceName: 's' });
    sampler.start();
    const until = Date.now() + 5000;
    while (hits < 3 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    expect(hits).toBeGreaterThanOrEqual(3);
    expect(sampler.decide(LOW, 'op')).toBe('0');
  });
});
